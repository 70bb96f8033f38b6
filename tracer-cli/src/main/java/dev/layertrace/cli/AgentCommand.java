package dev.layertrace.cli;

import dev.layertrace.ExitCode;
import dev.layertrace.agent.AgentAddress;
import dev.layertrace.agent.AgentServer;
import dev.layertrace.agent.AgentToken;
import dev.layertrace.agent.LiveHalfService;
import dev.layertrace.discover.NamespaceScope;
import dev.layertrace.sys.Privileges;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code layertrace agent}: serves this kernel's half of traces to a tracer on the other kernel. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
        "Serves this kernel's half of a trace. Run it on the host of a microVM; a tracer inside the guest"
            + " (trace --agent …) sends the probes, the agent resolves the path from the tap where the guest's"
            + " frames arrive to the destination, watches every layer of it for those probes, and streams"
            + " what it saw and the kernel's drop reasons back. The tracer merges both halves into one capture.",
        "Read-only: it changes no rule, route or sysctl; each trace uses a private tracefs instance that is"
            + " removed when the trace ends. A tracer must present the token from --token-file.",
        "Needs CAP_NET_RAW (observers) and CAP_SYS_ADMIN (entering namespaces). Stops on Ctrl-C or SIGTERM."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  layertrace agent --listen unix:/run/layertrace/agent.sock",
        "  layertrace agent --scope lt-host,lt-inet        # the lab's split mode: the host half only",
        "  layertrace trace --from lt-ctr --to 198.51.100.10 --scope lt-ctr,lt-guest --agent unix:/run/layertrace/agent.sock"})
public final class AgentCommand implements Callable<Integer> {
  static final String DEFAULT_LISTEN = "unix:/run/layertrace/agent.sock";

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--listen", paramLabel = "unix:PATH|tcp:HOST:PORT", defaultValue = DEFAULT_LISTEN,
      description = "Where to listen. Default: ${DEFAULT-VALUE} (mode 0600). TCP only on a trusted network.")
  String listen;

  @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "/run/layertrace/agent.token",
      description = "The shared token; created (random, mode 0600) when it does not exist. Default: ${DEFAULT-VALUE}.")
  Path tokenFile;

  @Option(names = "--scope", paramLabel = "NETNS[,NETNS…]",
      description = "Only these network namespaces may be read or entered (default: all of this kernel's).")
  String scope;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    AgentAddress address = AgentAddress.parse(listen);
    NamespaceScope ns = NamespaceScope.parse(scope, true);
    Privileges.require("to observe the host's half of a path", Privileges.Capability.NET_RAW,
        Privileges.Capability.SYS_ADMIN);
    AgentToken token = AgentTokens.readOrCreate(tokenFile, m -> {
      out.println("layertrace agent: " + m);
      out.flush();
    });
    String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version");
    AgentServer server = AgentServer.start(address, token, new LiveHalfService(ns), kernel, ns);
    Thread hook = new Thread(server::close, "layertrace-agent-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("layertrace agent: listening on " + server.address() + " (read-only; scope: "
        + (ns.restricted() ? String.join(",", ns.names()) : "all namespaces") + "; token: " + tokenFile + ")");
    out.flush();
    server.awaitClose();
    return ExitCode.OK;
  }
}
