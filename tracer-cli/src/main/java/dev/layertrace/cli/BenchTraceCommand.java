package dev.layertrace.cli;

import dev.layertrace.LayertraceException;
import dev.layertrace.discover.DecodingHostView;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.discover.PathRequest;
import dev.layertrace.discover.PathResolver;
import dev.layertrace.discover.RulesetHook;
import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Protocol;
import dev.layertrace.probe.ProbeSpec;
import dev.layertrace.probe.TraceSession;
import dev.layertrace.sys.CommandTimer;
import dev.layertrace.sys.Commands;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.LabSystem;
import dev.layertrace.sys.LiveHost;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code layertrace bench trace}: on a copy of the lab ({@code lt-tbt-*}, veth in place of the relay),
 * the probe phase of healthy traces, how soon a stopped trace has its verdict, and the whole
 * {@code layertrace trace} command (a fresh JVM) against {@code ping -c1 -W1} to the same broken
 * destination from the same namespace.
 */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = {
        "On a copy of the lab (lt-tbt-*): median probe phase of N healthy traces (target <= 50 ms); with"
            + " guest-forward-drop broken, median verdict time after injection (<= 300 ms) and the whole"
            + " 'layertrace trace' command in a fresh JVM (<= 1500 ms) against 'ping -c1 -W1' from the same"
            + " namespace.",
        "Needs root, ping (iputils-ping) and the built jar. The copy is removed afterwards."})
public final class BenchTraceCommand implements Callable<Integer> {
  private static final String COPY_PREFIX = "lt-tbt-";
  /** The launcher's JVM options (see ./layertrace), without its class-data archive. */
  static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--runs", defaultValue = "20", description = "in-process traces per figure (default ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--commands", defaultValue = "5",
      description = "whole-command runs and pings (default ${DEFAULT-VALUE})")
  int commands;

  @Option(names = "--jar", paramLabel = "FILE", description = "the layertrace jar (default: the running one)")
  Path jar;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON")
  Path json;

  /** One row of the table. */
  record Row(String figure, double oursMs, Double baselineMs, String target) {}

  @Override
  public Integer call() throws IOException {
    List<Row> rows = rows();
    print(rows);
    if (json != null) {
      writeJson(rows);
    }
    return 0;
  }

  /** The figures for {@code bench all}. */
  List<dev.layertrace.bench.Figure> measure() throws IOException {
    String base = "trace: 'ping -c1 -W1 " + LabTopology.REMOTE + "' from " + COPY_PREFIX
        + "ctr to the same broken destination";
    double[] targets = {50, 300, 1500, 1500};
    List<Row> rows = rows();
    List<dev.layertrace.bench.Figure> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      out.add(new dev.layertrace.bench.Figure("trace", r.figure(), r.oursMs(), r.baselineMs(), "ms",
          dev.layertrace.bench.Target.atMost(targets[i]), r.baselineMs() == null ? null : base));
    }
    return out;
  }

  private List<Row> rows() throws IOException {
    Commands.require("ping", "iputils-ping");
    Path theJar = jar != null ? jar : CommandTimer.runningJar(BenchTraceCommand.class).orElseThrow(
        () -> LayertraceException.usage("not running from a jar: give --jar tracer-cli/target/layertrace.jar"));
    LabTopology t = LabTopology.copy(COPY_PREFIX, LabTopology.VmmLink.VETH);
    LabSystem copy = new LabSystem(t, new LabRuntime(Path.of("/run/layertrace/" + COPY_PREFIX + "lab")), List.of());
    List<Row> rows = new ArrayList<>();
    try {
      copy.up();
      copy.reach(20, 200);
      DiscoveredPath path = discover(t);
      double[] probe = new double[runs];
      for (int i = 0; i < runs; i++) {
        TraceSession.Result r = trace(path);
        if (r.verdicts().get(0).outcome() != Outcome.REACHED) {
          throw new LayertraceException(dev.layertrace.ExitCode.INTERNAL, "healthy copy not reached: "
              + r.verdicts().get(0));
        }
        probe[i] = r.probePhaseNs() / 1e6;
      }
      copy.breakFault(LabFault.GUEST_FORWARD_DROP);
      double[] verdict = new double[runs];
      for (int i = 0; i < runs; i++) {
        verdict[i] = trace(path).verdictAfterInjectionNs() / 1e6;
      }
      double[] ping = new double[commands];
      for (int i = 0; i < commands; i++) {
        ping[i] = CommandTimer.timeIn(t.ctr(), List.of("ping", "-c1", "-W1", LabTopology.REMOTE),
            Duration.ofSeconds(5)).wallNs() / 1e6;
      }
      double[] whole = wholeCommand(theJar, t, List.of());
      // The launcher also keeps a class-data archive of the tool's classes (made on its first run).
      Path cds = Files.createTempFile("layertrace-bench-", ".jsa");
      double[] withCds;
      try {
        Files.delete(cds);
        wholeCommand(theJar, t, List.of("-XX:ArchiveClassesAtExit=" + cds, "-Xlog:cds=off"), 1);
        withCds = wholeCommand(theJar, t, List.of("-XX:SharedArchiveFile=" + cds, "-Xlog:cds=off"));
      } finally {
        Files.deleteIfExists(cds);
      }
      rows.add(new Row("probe phase, healthy ICMP trace, median of " + runs, median(probe), null, "<= 50 ms"));
      rows.add(new Row("verdict after injection, stopped trace, median of " + runs, median(verdict), median(ping),
          "<= 300 ms"));
      rows.add(new Row("whole 'layertrace trace' (fresh JVM) vs ping -c1 -W1, median of " + commands, median(whole),
          median(ping), "<= 1500 ms"));
      rows.add(new Row("the same with the launcher's class-data archive, median of " + commands, median(withCds),
          median(ping), "<= 1500 ms"));
    } finally {
      copy.down();
    }
    return rows;
  }

  private double[] wholeCommand(Path theJar, LabTopology t, List<String> extraJvmOptions) {
    return wholeCommand(theJar, t, extraJvmOptions, commands);
  }

  /** Wall times of {@code n} runs of {@code java -jar … trace} to the broken copy; each must exit 1 (stopped). */
  private static double[] wholeCommand(Path theJar, LabTopology t, List<String> extraJvmOptions, int n) {
    List<String> argv = new ArrayList<>(List.of("java"));
    argv.addAll(JVM_OPTIONS);
    argv.addAll(extraJvmOptions);
    argv.addAll(List.of("-jar", theJar.toString(), "trace", "--from", t.ctr(), "--to", LabTopology.REMOTE));
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      CommandTimer.Timed w = CommandTimer.time(argv, Duration.ofSeconds(30));
      if (w.exitCode() != 1) {
        throw new LayertraceException(dev.layertrace.ExitCode.INTERNAL, "'" + String.join(" ", argv)
            + "' exited " + w.exitCode() + ", not 1 (stopped)");
      }
      out[i] = w.wallNs() / 1e6;
    }
    return out;
  }

  private static DiscoveredPath discover(LabTopology t) {
    try (LiveHost live = LiveHost.scan()) {
      return new PathResolver(new DecodingHostView(live), new RulesetHook(live::rulesets))
          .resolve(new PathRequest(t.ctr(), "netns:" + t.ctr(), LabTopology.REMOTE, Protocol.ICMP, 0));
    }
  }

  private static TraceSession.Result trace(DiscoveredPath path) throws IOException {
    Inet4Address dst = (Inet4Address) InetAddress.getByName(LabTopology.REMOTE);
    return TraceSession.trace(new TraceSession.Request(path.graph(), path.findings(), List.of(),
        new ProbeSpec(Protocol.ICMP, null, dst, 0, 0, false, 64), 1, "layertrace-" + ProcessHandle.current().pid()
            + "-bench"));
  }

  private void print(List<Row> rows) {
    PrintWriter out = spec.commandLine().getOut();
    String fmt = "%-66s | %9s | %9s | %6s | %s%n";
    out.printf(fmt, "figure", "ours", "baseline", "ratio", "target");
    out.println("-".repeat(66) + "-|-" + "-".repeat(9) + "-|-" + "-".repeat(9) + "-|-------|-------");
    for (Row r : rows) {
      out.printf(fmt, r.figure(), ms(r.oursMs()), r.baselineMs() == null ? "" : ms(r.baselineMs()),
          r.baselineMs() == null ? "" : String.format(Locale.ROOT, "%.2f", r.oursMs() / r.baselineMs()), r.target());
    }
    out.printf("(baseline: ping -c1 -W1 %s from %sctr to the same broken destination; %d cores; java %s)%n",
        LabTopology.REMOTE, COPY_PREFIX, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    out.flush();
  }

  private void writeJson(List<Row> rows) throws IOException {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("figure", r.figure());
      m.put("oursMs", r.oursMs());
      m.put("baselineMs", r.baselineMs());
      m.put("ratio", r.baselineMs() == null ? null : r.oursMs() / r.baselineMs());
      m.put("target", r.target());
      list.add(m);
    }
    Files.writeString(json, new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
        .writeValueAsString(Map.of("benchmark", "trace", "rows", list)));
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, v < 10 ? "%.2f ms" : "%.0f ms", v);
  }
}
