package dev.layertrace.cli;

import dev.layertrace.LayertraceException;
import dev.layertrace.bench.Figure;
import dev.layertrace.bench.Target;
import dev.layertrace.web.ApiLoad;
import dev.layertrace.web.LiveTracer;
import dev.layertrace.web.WebConfig;
import dev.layertrace.web.WebServer;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code layertrace bench web CAPTURE-ID}: the capture API's latency under concurrent clients, on
 * a server started in this JVM on 127.0.0.1. (First paint is measured in a browser: see
 * web-ui's WebBrowserTest, which prints it.)
 */
@Command(
    name = "web",
    mixinStandardHelpOptions = true,
    description = {
        "Starts 'layertrace serve' on 127.0.0.1 (a free port) over DIR, then --clients clients, each on its own"
            + " keep-alive connection, GET /api/captures/ID --requests times each; prints p50, p95, p99 and max"
            + " latency (target: p99 <= 20 ms with 50 clients) and the throughput. The clients run in this JVM,"
            + " so on a small machine they compete with the server for the CPU; --rate paces them."},
    footerHeading = "%nExamples:%n",
    footer = {"  layertrace bench web guest-no-masquerade --captures captures",
        "  layertrace bench web guest-no-masquerade --clients 50 --requests 200 --rate 10"})
public final class BenchWebCommand implements Callable<Integer> {
  static final String SECTION = "web";

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The capture to request (its file name without .json).")
  String id;

  @Option(names = "--captures", paramLabel = "DIR", defaultValue = "captures",
      description = "Folder of captures. Default: ${DEFAULT-VALUE}.")
  Path captures;

  @Option(names = "--clients", paramLabel = "N", defaultValue = "50", description = "Concurrent clients. Default: ${DEFAULT-VALUE}.")
  int clients;

  @Option(names = "--requests", paramLabel = "N", defaultValue = "100",
      description = "Requests per client. Default: ${DEFAULT-VALUE}.")
  int requests;

  @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
      description = "Requests per second per client; 0 sends back to back (a saturation test). Default: ${DEFAULT-VALUE}.")
  double rate;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    out.print(dev.layertrace.bench.BenchTables.text(measure()));
    out.flush();
    return 0;
  }

  /** The figures, also for {@code bench all}. */
  List<Figure> measure() throws InterruptedException {
    if (clients < 1 || clients > 500 || requests < 1 || requests > 10_000) {
      throw LayertraceException.usage("--clients must be 1..500 and --requests 1..10000");
    }
    try (WebServer server = WebServer.start(new WebConfig(captures, "127.0.0.1", 0, false, false, WebConfig.randomToken()),
        LiveTracer.unavailable(ServeCommand.LIVE_UNAVAILABLE))) {
      URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/api/captures/" + id);
      ApiLoad.run(uri, Math.min(clients, 8), 200, 0); // warm-up: JIT, caches
      ApiLoad.Result r = ApiLoad.run(uri, clients, requests, rate);
      if (r.failures() > 0) {
        throw LayertraceException.usage(r.failures() + " of " + r.requests() + " requests did not return 200: is '"
            + id + "' a capture in " + captures + "?");
      }
      String how = "GET /api/captures/" + id + ", " + clients + " clients x " + requests + " requests, "
          + (rate > 0 ? rate + " req/s each" : "back to back") + ": ";
      return List.of(
          Figure.of(SECTION, how + "p50", r.p50Ms(), "ms", null),
          Figure.of(SECTION, how + "p95", r.p95Ms(), "ms", null),
          Figure.of(SECTION, how + "p99", r.p99Ms(), "ms", Target.atMost(20)),
          Figure.of(SECTION, how + "max", r.maxMs(), "ms", null),
          Figure.of(SECTION, how + "throughput", r.throughputPerS(), "req/s", null),
          Figure.of(SECTION, how + "server CPU per request (its threads only)", r.serverCpuUsPerRequest(), "µs",
              null));
    }
  }
}
