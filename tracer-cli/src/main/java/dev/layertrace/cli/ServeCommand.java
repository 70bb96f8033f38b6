package dev.layertrace.cli;

import dev.layertrace.sys.Privileges;
import dev.layertrace.web.LiveTracer;
import dev.layertrace.web.WebConfig;
import dev.layertrace.web.WebServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code layertrace serve}: the web view over a folder of captures, until Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
        "Serves the web view: the captures in DIR as a list, each path as a clickable graph with the stopping"
            + " layer marked, the verdict with cause and fix, a teaching mode that steps through the hops, and"
            + " exports (svg, png, md, json, pcapng). Listens on 127.0.0.1 unless --bind says otherwise.",
        "With --allow-live (and as root) the page can also start live traces; they need the token printed at"
            + " start, sent as the X-Layertrace-Token header."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  layertrace serve",
        "  layertrace serve --captures /var/lib/layertrace --port 9000",
        "  sudo layertrace serve --allow-live",
        "",
        "Exit codes: 0 stopped with Ctrl-C, 2 usage (no captures folder, port in use), 4 internal error."})
public final class ServeCommand implements Callable<Integer> {
  /** Without root no live trace can open its sockets; the endpoint refuses with 403 before asking. */
  static final String LIVE_UNAVAILABLE = "live tracing needs root and --allow-live: run 'sudo layertrace serve"
      + " --allow-live', or record a capture with 'sudo layertrace trace -o FILE.json' and open it here";

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", defaultValue = "" + WebConfig.DEFAULT_PORT,
      description = "TCP port (0: any free one). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--captures", paramLabel = "DIR", defaultValue = "captures",
      description = "Folder of capture files (*.json). Default: ${DEFAULT-VALUE} (relative to the working directory).")
  Path captures;

  @Option(names = "--bind", paramLabel = "ADDR", defaultValue = WebConfig.DEFAULT_BIND,
      description = "Address to listen on. Default: ${DEFAULT-VALUE}; anything else makes the captures readable"
          + " from the network.")
  String bind;

  @Option(names = "--allow-live", description = "Allow live traces from the page (needs root and the printed token).")
  boolean allowLive;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Live traces need these capabilities, not uid 0 as such (uid 0 in a container may lack them).
    List<String> missing = Privileges.missing(Privileges.Capability.NET_ADMIN, Privileges.Capability.NET_RAW,
        Privileges.Capability.SYS_ADMIN);
    boolean root = missing.isEmpty();
    WebConfig config = new WebConfig(captures, bind, port, allowLive, root, WebConfig.randomToken());
    if (!config.loopbackOnly()) {
      err.println("layertrace: warning: listening on " + bind + ", not 127.0.0.1: anyone who can reach it can read"
          + " the captures (host names, addresses, rules)");
    }
    LiveTracer live = allowLive && root ? new TraceLiveTracer() : LiveTracer.unavailable(LIVE_UNAVAILABLE);
    WebServer server = WebServer.start(config, live);
    Thread hook = new Thread(server::close, "layertrace-serve-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    String host = server.address().getAddress().isAnyLocalAddress() ? "127.0.0.1" : server.address().getHostString();
    out.println("layertrace serve: http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
        + server.address().getPort() + "/  (captures from " + captures.toAbsolutePath().normalize() + "; Ctrl-C stops)");
    if (allowLive) {
      out.println("live token: " + config.token() + "  (paste it into the page's live form; sent as X-Layertrace-Token)");
      if (!root) {
        err.println("layertrace: warning: missing privilege " + String.join(" and ", missing)
            + ": live traces will be refused (run as root, e.g. with sudo)");
      }
    }
    out.flush();
    try {
      server.awaitClose();
    } finally {
      // Also when the thread running serve is interrupted (an embedding caller stopping it), not only
      // from the hook; closing twice is harmless.
      server.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs anyway
      }
    }
    return 0;
  }
}
