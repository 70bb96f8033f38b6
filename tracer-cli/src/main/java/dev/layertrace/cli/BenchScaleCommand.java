package dev.layertrace.cli;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.bench.Figure;
import dev.layertrace.bench.Growth;
import dev.layertrace.bench.ProbeCoverage;
import dev.layertrace.bench.Stats;
import dev.layertrace.bench.Target;
import dev.layertrace.discover.DecodingHostView;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.discover.PathRequest;
import dev.layertrace.discover.PathResolver;
import dev.layertrace.discover.RulesetHook;
import dev.layertrace.lab.ExpectedVerdict;
import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.model.Capture;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Protocol;
import dev.layertrace.probe.ProbeSpec;
import dev.layertrace.probe.TraceSession;
import dev.layertrace.sys.Commands;
import dev.layertrace.sys.HostDiscovery;
import dev.layertrace.sys.IperfFlood;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.LabSystem;
import dev.layertrace.sys.LiveHost;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code layertrace bench scale}: on a private copy of the lab with its own VMM relay, traces in a
 * loop in one process, probes under an iperf3 flood, and — after adding Docker-style netfilter rules
 * and 10, 100, 1000 containers on the guest's bridge — discovery, {@code path} and {@code trace} as
 * the host grows.
 */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description = {
        "On a copy of the lab (namespaces PREFIXctr, PREFIXguest, …, with its own VMM relay):",
        "  1. --traces traces in a loop in this process (half healthy, half with guest-forward-drop), each"
            + " checked against the expected verdict, each trace a session of its own (bench all's 'repeat' section"
            + " measures trace --repeat, one session, against the >= 20 traces/s target).",
        "  2. iperf3 through the path with and without probing at the same time (--flood-pairs runs of each):"
            + " probes seen at every device layer, the tracer's CPU per probe, the throughput drop (<= 5 %%).",
        "  3. --rules Docker-style rules in the guest's filter table, then --containers containers (namespace +"
            + " veth on the guest's docker0) added step by step: full discovery against 'ip', and 'layertrace path'"
            + " and 'trace' as child JVMs with -Xmx256m (targets at 1000: path <= 1 s, trace <= 1.5 s, heap <="
            + " 256 MiB), with the cost per container.",
        "Needs root, iperf3 and the built jar. Everything it made is removed at the end, also on errors."})
public final class BenchScaleCommand implements Callable<Integer> {
  static final String SECTION_LOOP = "traces in one process";
  static final String SECTION_FLOOD = "busy link";
  static final String SECTION_GROWTH = "big hosts";

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--prefix", defaultValue = "lt-bsc-", description = "Namespace prefix of the lab copy (lt-…)."
      + " Default: ${DEFAULT-VALUE}.")
  String prefix;

  @Option(names = "--traces", defaultValue = "100", description = "Traces in the loop. Default: ${DEFAULT-VALUE}.")
  int traces;

  @Option(names = "--probes", defaultValue = "1000",
      description = "Probes sent under the flood (at least). Default: ${DEFAULT-VALUE}.")
  int probes;

  @Option(names = "--flood-seconds", defaultValue = "6",
      description = "iperf3 run length. Default: ${DEFAULT-VALUE}.")
  int floodSeconds;

  @Option(names = "--flood-pairs", defaultValue = "3",
      description = "iperf3 runs without and with probing, in pairs; the probes are spread over the runs with"
          + " probing. Default: ${DEFAULT-VALUE}.")
  int floodPairs;

  @Option(names = "--containers", split = ",", defaultValue = "10,100,1000",
      description = "Container counts to measure at, ascending. Default: ${DEFAULT-VALUE}.")
  List<Integer> containers;

  @Option(names = "--rules", defaultValue = "5000",
      description = "Netfilter rules added to the guest. Default: ${DEFAULT-VALUE}.")
  int rules;

  @Option(names = "--runs", defaultValue = "3",
      description = "Runs per child-JVM and discovery figure (median). Default: ${DEFAULT-VALUE}.")
  int runs;

  @Option(names = "--jar", paramLabel = "FILE", description = "The layertrace jar (default: the running one).")
  Path jar;

  /** What the run noticed beside its figures (unexpected verdicts), for the suite's notes. */
  final List<String> notes = java.util.Collections.synchronizedList(new ArrayList<>());

  @Override
  public Integer call() {
    List<Figure> figures = measure(spec.commandLine().getErr());
    notes.forEach(n -> spec.commandLine().getErr().println("note: " + n));
    PrintWriter out = spec.commandLine().getOut();
    out.print(dev.layertrace.bench.BenchTables.text(figures));
    out.flush();
    return ExitCode.OK;
  }

  /** Runs all three parts; progress goes to {@code log}. */
  List<Figure> measure(PrintWriter log) {
    if (!prefix.startsWith("lt-") || traces < 2 || probes < 1 || floodSeconds < 1 || floodPairs < 1 || rules < 0
        || runs < 1) {
      throw LayertraceException.usage("--prefix must start with lt-; --traces >= 2; --probes, --flood-seconds,"
          + " --flood-pairs, --runs >= 1");
    }
    Commands.require("iperf3", "iperf3");
    LabTopology t = LabTopology.copy(prefix, LabTopology.VmmLink.RELAY);
    LabRuntime runtime = new LabRuntime(Path.of("/run/layertrace/" + prefix + "lab"));
    List<String> relay = new ArrayList<>(LabCommand.relayCommand());
    relay.addAll(List.of("--runtime-dir", runtime.dir().toString(), "--guest-netns", t.guest(), "--host-netns",
        t.host()));
    LabSystem copy = new LabSystem(t, runtime, relay);
    List<Figure> figures = new ArrayList<>();
    try (BenchJvm jvm = BenchJvm.create(jar);
        BenchContainers boxes = new BenchContainers(prefix + "box", t.guest(), "docker0")) {
      boxes.close(); // leftovers of a killed run
      copy.up();
      copy.reach(20, 200);
      log.println("bench scale: lab copy " + prefix + "* up; traces in a loop…");
      log.flush();
      // One part failing (a flaky flood, say) must not cost the others their figures.
      part("traces in a loop", figures, () -> loop(t, copy, jvm));
      log.println("bench scale: iperf3 flood…");
      log.flush();
      part("busy link", figures, () -> flood(t));
      log.println("bench scale: " + rules + " rules, then containers " + containers + "…");
      log.flush();
      part("big hosts", figures, () -> growth(t, copy, jvm, boxes, log));
    } finally {
      copy.down();
    }
    return figures;
  }

  private void part(String name, List<Figure> figures, java.util.function.Supplier<List<Figure>> measure) {
    try {
      figures.addAll(measure.get());
    } catch (RuntimeException e) {
      notes.add(name + " did not run to the end: " + e.getMessage());
    }
  }

  // ---- 1. traces in a loop ----------------------------------------------------------------------

  /**
   * The path is discovered once per state of the lab (as a repeat mode would), then each trace opens
   * its own session (observers, injector, tracefs instance), sends, decides and closes again —
   * {@code workers} at a time. The same traces one at a time through the CLI's own code (discovery
   * each time) and as a fresh process each are measured beside it.
   */
  private List<Figure> loop(LabTopology t, LabSystem copy, BenchJvm jvm) {
    ProbeSpec probe = icmp();
    int healthy = traces / 2;
    int broken = traces - healthy;
    LabFault fault = LabFault.GUEST_FORWARD_DROP;
    // Warm-up: class loading, the JIT; the same number of sequential CLI traces is timed after it.
    int sequential = Math.max(2, Math.min(10, traces / 10));
    tracesInProcess(t, probe, 3);
    long s0 = System.nanoTime();
    int wrong = tracesInProcess(t, probe, sequential);
    double sequentialMs = (System.nanoTime() - s0) / 1e6 / sequential;
    DiscoveredPath healthyPath = discover(t);
    batch(healthyPath, probe, 4, null); // warm the batch's own code
    long cpu0 = processCpuNs();
    long t0 = System.nanoTime();
    wrong += batch(healthyPath, probe, healthy, null); // null: expect 'reached'
    long healthyNs = System.nanoTime() - t0;
    long brokenNs;
    copy.breakFault(fault);
    try {
      DiscoveredPath brokenPath = discover(t);
      long t1 = System.nanoTime();
      wrong += batch(brokenPath, probe, broken, fault.expectedVerdict(t));
      brokenNs = System.nanoTime() - t1;
    } finally {
      copy.heal(fault);
    }
    long cpuNs = processCpuNs() - cpu0;
    double rate = traces / ((healthyNs + brokenNs) / 1e9);
    List<String> args = traceArgs(t);
    BenchJvm.Run fresh = jvm.median(runs, jvm.launcherOptions(args), args, Set.of(0), false);
    String base = "traces in one process: one 'layertrace trace' process per trace (launcher options and"
        + " class-data archive), median of " + runs;
    return List.of(
        new Figure(SECTION_LOOP, traces + " traces, " + WORKERS + " at a time, path discovered once per lab state ("
            + healthy + " healthy, " + broken + " " + fault.word() + ")", rate, 1000 / fresh.wallMs(), "traces/s",
            null, base), // the target is the 'repeat' section's: one session, as trace --repeat runs them
        Figure.of(SECTION_LOOP, "of these and the sequential ones, traces with the expected verdict", traces
            + sequential - wrong, "", Target.atLeast(traces + sequential)),
        new Figure(SECTION_LOOP, "one at a time through the CLI's code (discovery each time), " + sequential
            + " healthy", 1000 / sequentialMs, 1000 / fresh.wallMs(), "traces/s", null, base),
        Figure.of(SECTION_LOOP, "CPU per trace in the batch (this process)", cpuNs / 1e6 / traces, "ms", null),
        Figure.of(SECTION_LOOP, "healthy batch, wall per trace", healthyNs / 1e6 / healthy, "ms", null),
        Figure.of(SECTION_LOOP, "stopped batch (each waits for its verdict), wall per trace",
            brokenNs / 1e6 / broken, "ms", null));
  }

  private static final int WORKERS = 4;

  /** {@code n} traces of {@code path}, {@link #WORKERS} at a time; returns how many had an unexpected verdict. */
  private int batch(DiscoveredPath path, ProbeSpec probe, int n, ExpectedVerdict expected) {
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    AtomicInteger wrong = new AtomicInteger();
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        // Each session has its own tracefs instance; the probe ids keep the observers apart.
        String instance = "layertrace-" + ProcessHandle.current().pid() + "-bench-" + i;
        all.add(pool.submit(() -> {
          TraceSession.Result r = TraceSession.trace(new TraceSession.Request(path.graph(), path.findings(),
              List.of(), probe, 1, instance));
          boolean ok = expected == null ? r.verdicts().stream().allMatch(v -> v.outcome() == Outcome.REACHED)
              : r.verdicts().stream().allMatch(expected::matches);
          if (!ok) {
            wrong.incrementAndGet();
            notes.add("a batch trace had an unexpected verdict (expected " + (expected == null ? "reached"
                : expected.describe()) + "): " + describe(r.verdicts()));
          }
        }));
      }
      for (Future<?> f : all) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LayertraceException(ExitCode.INTERNAL, "interrupted");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re
          : new LayertraceException(ExitCode.INTERNAL, "trace failed: " + e.getCause(), e);
    } finally {
      pool.shutdownNow();
    }
    return wrong.get();
  }

  /** {@code n} healthy traces through the CLI's own code; returns how many did not reach. */
  private int tracesInProcess(LabTopology t, ProbeSpec probe, int n) {
    int wrong = 0;
    for (int i = 0; i < n; i++) {
      Capture c = TraceCommand.traceLive("netns:" + t.ctr(), probe, 1, TraceCommand.hostFacts("bench scale"));
      if (!c.verdicts().stream().allMatch(v -> v.outcome() == Outcome.REACHED)) {
        wrong++;
        notes.add("a sequential healthy trace did not reach: " + describe(c.verdicts()));
      }
    }
    return wrong;
  }

  private static String describe(List<dev.layertrace.model.Verdict> verdicts) {
    return String.join("; ", verdicts.stream().map(v -> v.outcome().word() + (v.layer() == null ? ""
        : " at " + v.layer().kind().name().toLowerCase(java.util.Locale.ROOT) + " " + v.layer().netns() + " "
        + v.layer().iface()) + " (" + v.cause() + "; evidence: " + String.join(" | ", v.evidence()) + ")")
        .toList());
  }

  private static DiscoveredPath discover(LabTopology t) {
    try (LiveHost live = LiveHost.scan()) {
      return new PathResolver(new DecodingHostView(live), new RulesetHook(live::rulesets))
          .resolve(new PathRequest(t.ctr(), "netns:" + t.ctr(), LabTopology.REMOTE, Protocol.ICMP, 0));
    }
  }

  // ---- 2. busy link -----------------------------------------------------------------------------

  private List<Figure> flood(LabTopology t) {
    ProbeSpec probe = icmp();
    double[] quiet = new double[floodPairs];
    double[] busy = new double[floodPairs];
    ProbeCoverage.Count seen = new ProbeCoverage.Count(0, 0, 0);
    long cpuNs = 0;
    int perTrace = 16; // the most 'trace --count' allows
    int perPhase = (probes + floodPairs - 1) / floodPairs;
    int reached = 0;
    DiscoveredPath path = discover(t);
    try (IperfFlood iperf = IperfFlood.serve(t.inet(), LabTopology.REMOTE, 5201)) {
      for (int round = 0; round < floodPairs; round++) {
        // Pairs in ABBA order (quiet first, then busy first, …) so that a drift of the flood's own speed
        // over the section weighs on both sides alike instead of on the runs with probing.
        boolean quietFirst = round % 2 == 0;
        if (quietFirst) {
          quiet[round] = iperf.run(t.ctr(), floodSeconds);
        }
        // The flood runs on its own thread; this one probes meanwhile (the namespaces are entered by
        // the tracer's own threads, so the spawning thread's namespace does not matter).
        CompletableFuture<Double> flood = CompletableFuture.supplyAsync(() -> iperf.run(t.ctr(), floodSeconds));
        sleep(300); // iperf3 connected and at speed
        long cpu0 = processCpuNs();
        int sent = 0;
        // This phase's probes are spread over the flood, a trace every intervalNs, as a user tracing
        // now and then would; if they cannot keep pace they go back to back.
        long intervalNs = floodSeconds * 1_000_000_000L / Math.max(1, perPhase / perTrace + 1);
        long next = System.nanoTime();
        while (sent < perPhase) {
          // As 'trace --repeat' does: one session (observers, tracefs) for up to 256 probes, a round of
          // perTrace probes at a time — not a session per trace, whose set-up would dominate.
          int chunk = Math.min(256, perPhase - sent);
          List<dev.layertrace.probe.ProbeId> ids = dev.layertrace.probe.ProbeId.allocate(chunk,
              new java.util.Random());
          try (TraceSession s = TraceSession.open(new TraceSession.Request(path.graph(), path.findings(),
              List.of(), probe, chunk, "layertrace-" + ProcessHandle.current().pid() + "-flood"), ids)) {
            for (int from = 0; from < chunk; from += perTrace) {
              sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
              next += intervalNs;
              TraceSession.Result r = s.runRound(ids.subList(from, Math.min(chunk, from + perTrace)),
                  dev.layertrace.probe.TraceListener.NONE);
              seen = seen.plus(ProbeCoverage.count(path.graph(), r.probes(), r.observations()));
              reached += (int) r.verdicts().stream().filter(v -> v.outcome() == Outcome.REACHED).count();
              r.verdicts().stream().filter(v -> v.outcome() != Outcome.REACHED).limit(1)
                  .forEach(v -> notes.add("under the flood a probe was not 'reached': " + describe(List.of(v))));
              sent += r.probes().size();
            }
          }
        }
        cpuNs += processCpuNs() - cpu0;
        busy[round] = flood.join();
        if (!quietFirst) {
          quiet[round] = iperf.run(t.ctr(), floodSeconds);
        }
      }
      if (iperf.restarts() > 0) {
        notes.add("the iperf3 server exited and was restarted " + iperf.restarts() + " time(s)");
      }
    }
    double quietMean = Arrays.stream(quiet).average().orElseThrow();
    double busyMean = Arrays.stream(busy).average().orElseThrow();
    double dropPct = 100 * (1 - busyMean / quietMean);
    double quietSpread = Arrays.stream(quiet).max().orElseThrow() - Arrays.stream(quiet).min().orElseThrow();
    String how = "busy link: the same iperf3 TCP run " + t.ctr() + " → " + LabTopology.REMOTE + " through the"
        + " relay without probing; " + floodPairs + " runs of " + floodSeconds + " s each way, in pairs"
        + " (ABBA order); without: " + gbits(quiet) + ", with: " + gbits(busy) + " Gbit/s";
    return List.of(
        Figure.of(SECTION_FLOOD, "probes seen at all " + seen.deviceLayers() + " device layers under the flood, of "
            + seen.probes(), seen.seenEverywhere(), "", Target.atLeast(seen.probes())),
        Figure.of(SECTION_FLOOD, "of which verdict 'reached'", reached, "", Target.atLeast(seen.probes())),
        Figure.of(SECTION_FLOOD, "tracer CPU per probe (process CPU / probes; set-up included, " + perTrace
            + " probes per round, rounds of one session as in trace --repeat)", cpuNs / 1e6 / seen.probes(), "ms",
            null),
        new Figure(SECTION_FLOOD, "iperf3 throughput while probing (" + perPhase + " probes spread over each run)"
            + " vs without, mean of " + floodPairs, busyMean / 1e9,
            quietMean / 1e9, "Gbit/s", null, how),
        Figure.of(SECTION_FLOOD, "throughput drop while probing", dropPct, "%", Target.atMost(5)),
        Figure.of(SECTION_FLOOD, "for scale: spread of the " + floodPairs + " runs without probing (max - min)",
            100 * quietSpread / quietMean, "%", null));
  }

  private static String gbits(double[] bps) {
    return String.join(" ", Arrays.stream(bps).mapToObj(b -> String.format(java.util.Locale.ROOT, "%.2f", b / 1e9))
        .toList());
  }

  private static long processCpuNs() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  // ---- 3. big hosts -----------------------------------------------------------------------------

  private List<Figure> growth(LabTopology t, LabSystem copy, BenchJvm jvm, BenchContainers boxes, PrintWriter log) {
    List<String> path = List.of("path", "--from", "netns:" + t.ctr(), "--to", LabTopology.REMOTE);
    List<String> trace = traceArgs(t);
    List<String> opts = new ArrayList<>(jvm.launcherOptions(trace));
    opts.add("-Xmx256m");
    List<Figure> figures = new ArrayList<>();
    // The baseline of every path and trace figure: the same command before any rule or container was added.
    BenchJvm.Run path0 = jvm.median(runs, opts, path, Set.of(0, 1), true);
    BenchJvm.Run trace0 = jvm.median(runs, opts, trace, Set.of(0), true);
    String plain = "path/trace: the same command on the lab copy before the rules and containers were added";
    figures.add(Figure.of(SECTION_GROWTH, "'layertrace path' -Xmx256m on the plain lab copy, median of " + runs,
        path0.wallMs(), "ms", null));
    figures.add(Figure.of(SECTION_GROWTH, "'layertrace trace' -Xmx256m on the plain lab copy, median of " + runs,
        trace0.wallMs(), "ms", null));
    addRules(t);
    double tools = ruleTools(t);
    figures.add(Figure.of(SECTION_GROWTH, "the rule tools alone, once: nft -j list ruleset, iptables-nft-save and"
        + " iptables-legacy-save in " + t.guest() + " (" + rules + " rules)", tools, "ms", null));
    List<Growth.Point> disc = new ArrayList<>();
    List<Growth.Point> paths = new ArrayList<>();
    List<Growth.Point> traced = new ArrayList<>();
    List<Integer> steps = new ArrayList<>(List.of(0));
    steps.addAll(containers);
    for (int n : steps) {
      long b0 = System.nanoTime();
      boxes.growTo(n);
      log.printf("bench scale: %d containers (added in %d ms)…%n", n, (System.nanoTime() - b0) / 1_000_000);
      log.flush();
      copy.reach(20, 200);
      double[] d = new double[runs + 1];
      int namespaces = 0;
      for (int i = 0; i <= runs; i++) { // the first is a warm-up
        long s = System.nanoTime();
        try (LiveHost host = LiveHost.scan()) {
          namespaces = HostDiscovery.discoverAll(host).namespaces().size();
        }
        d[i] = (System.nanoTime() - s) / 1e6;
      }
      double discovery = Stats.median(Arrays.copyOfRange(d, 1, d.length));
      double ipBaseline = ipBaseline();
      BenchJvm.Run p = jvm.median(runs, opts, path, Set.of(0, 1), true);
      BenchJvm.Run tr = jvm.median(runs, opts, trace, Set.of(0), true);
      disc.add(new Growth.Point(n, discovery));
      paths.add(new Growth.Point(n, p.wallMs()));
      traced.add(new Growth.Point(n, tr.wallMs()));
      String at = n + " containers (" + namespaces + " namespaces)";
      boolean big = n >= 1000;
      figures.add(new Figure(SECTION_GROWTH, "full discovery in-process, " + at + ", median of " + runs, discovery,
          ipBaseline, "ms", big ? Target.atMost(1000) : null,
          "discovery: 'ip -all netns exec ip -j -d link show' + 'ip -j route' per namespace, once"));
      figures.add(new Figure(SECTION_GROWTH, "'layertrace path' -Xmx256m, " + rules + " rules, " + at + ", median of " + runs,
          p.wallMs(), path0.wallMs(), "ms", big ? Target.atMost(1000) : null, plain));
      figures.add(new Figure(SECTION_GROWTH, "'layertrace trace' -Xmx256m, " + rules + " rules, " + at + ", median of " + runs,
          tr.wallMs(), trace0.wallMs(), "ms", big ? Target.atMost(1500) : null, plain));
      if (big) {
        figures.add(Figure.of(SECTION_GROWTH, "full discovery, " + at + ": times faster than the 'ip' baseline",
            ipBaseline / discovery, "x", Target.atLeast(20)));
        figures.add(Figure.of(SECTION_GROWTH, "peak heap of path and trace (GC log), " + at,
            Math.max(p.peakHeapBytes(), tr.peakHeapBytes()) / 1048576.0, "MiB", Target.atMost(256)));
      }
    }
    figures.addAll(perContainer("full discovery", disc));
    figures.addAll(perContainer("path", paths));
    figures.addAll(perContainer("trace", traced));
    return figures;
  }

  private List<Figure> perContainer(String what, List<Growth.Point> points) {
    List<Figure> out = new ArrayList<>();
    List<Double> marginal = Growth.marginalMs(points);
    for (int i = 0; i < marginal.size(); i++) {
      out.add(Figure.of(SECTION_GROWTH, what + ": cost per added container, " + points.get(i).containers() + " → "
          + points.get(i + 1).containers(), marginal.get(i), "ms", null));
    }
    Double k = Growth.exponent(points, 20);
    if (k != null) {
      out.add(Figure.of(SECTION_GROWTH, what + ": growth exponent " + points.get(points.size() - 2).containers()
          + " → " + points.get(points.size() - 1).containers() + " containers (1 = linear)", k, "",
          Target.atMost(1.25)));
    }
    return out;
  }

  /**
   * Docker's shape at scale: a DOCKER chain with one accept per published port of each container,
   * jumped to for everything forwarded to docker0 — so every reply towards the lab container walks
   * all of them.
   */
  private void addRules(LabTopology t) {
    StringBuilder sb = new StringBuilder("*filter\n:DOCKER - [0:0]\n-I FORWARD 1 -o docker0 -j DOCKER\n");
    for (int i = 0; i < rules; i++) {
      sb.append("-A DOCKER -d ").append(BenchContainers.address(i / 5)).append("/32 ! -i docker0 -o docker0 -p tcp")
          .append(" -m tcp --dport ").append(8000 + i % 5).append(" -j ACCEPT\n");
    }
    sb.append("COMMIT\n");
    Commands.run(List.of("ip", "netns", "exec", t.guest(), "iptables-restore", "--noflush"), sb.toString(),
        Duration.ofMinutes(2)).orThrow();
  }

  /** What reading the guest's rules costs in the tools themselves, which path and trace run. */
  private static double ruleTools(LabTopology t) {
    long s = System.nanoTime();
    for (List<String> tool : List.of(List.of("nft", "-j", "list", "ruleset"), List.of("iptables-nft-save"),
        List.of("iptables-legacy-save"))) {
      List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", t.guest()));
      argv.addAll(tool);
      Commands.run(argv, null, Duration.ofMinutes(1)).orThrow();
    }
    return (System.nanoTime() - s) / 1e6;
  }

  private static double ipBaseline() {
    long s = System.nanoTime();
    Commands.run(List.of("ip", "-all", "netns", "exec", "ip", "-j", "-d", "link", "show"), null,
        Duration.ofMinutes(10)).orThrow();
    for (String line : Commands.run("ip", "netns", "list").orThrow().stdout().lines().toList()) {
      String ns = line.split(" ")[0];
      if (!ns.isEmpty()) {
        Commands.run("ip", "-n", ns, "-j", "route");
      }
    }
    return (System.nanoTime() - s) / 1e6;
  }

  private static List<String> traceArgs(LabTopology t) {
    return List.of("trace", "--from", "netns:" + t.ctr(), "--to", LabTopology.REMOTE);
  }

  private static ProbeSpec icmp() {
    try {
      return new ProbeSpec(Protocol.ICMP, null, (Inet4Address) InetAddress.getByName(LabTopology.REMOTE), 0, 0,
          false, 64);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
