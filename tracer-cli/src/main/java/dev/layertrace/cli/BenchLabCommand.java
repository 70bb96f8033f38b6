package dev.layertrace.cli;

import dev.layertrace.bench.Figure;
import dev.layertrace.bench.Target;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.sys.IperfFlood;
import dev.layertrace.sys.LabBenchmarks;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.LabStateReader;
import dev.layertrace.sys.LabSystem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code layertrace bench lab}: how long {@code lab up} and {@code lab down} take, and what the VMM
 * relay costs — round trip and TCP throughput through the whole path, relay against a copy of the
 * lab (namespaces {@code lt-tlab-*}) with a plain veth pair in the relay's place.
 */
@Command(
    name = "lab",
    mixinStandardHelpOptions = true,
    description = {
        "Times lab up and lab down (in this JVM), then compares the lab with its VMM relay against a copy whose"
            + " guest NIC and host tap are a veth pair: ICMP round trip lt-ctr → 198.51.100.10 and iperf3 TCP"
            + " throughput. Targets: up <= 3 s, down <= 1 s, >= 1 Gbit/s through the relay.",
        "Needs root and iperf3. Leaves the lab as it found it (up or down); the copy is removed."})
public final class BenchLabCommand implements Callable<Integer> {
  static final String SECTION = "lab";

  /** What did not run, for the suite's notes. */
  final List<String> notes = new ArrayList<>();
  private static final String COPY_PREFIX = "lt-tlab-";

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--runs", defaultValue = "3", description = "lab up/down cycles to time (default ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--pings", defaultValue = "50", description = "ICMP round trips per path (default ${DEFAULT-VALUE})")
  int pings;

  @Option(names = "--seconds", defaultValue = "3", description = "iperf3 duration per path (default ${DEFAULT-VALUE})")
  int seconds;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(dev.layertrace.bench.BenchTables.text(measure()));
    notes.forEach(n -> out.println("note: " + n));
    out.flush();
    return 0;
  }

  /** The figures, also for {@code bench all}: relay (ours) beside the veth copy (baseline). */
  @SuppressWarnings("try") // the try block holds the lab lock
  List<Figure> measure() {
    LabSystem lab = LabCommand.lab();
    boolean wasUp = LabStateReader.exists(LabTopology.CTR);
    LabTopology copyTopology = LabTopology.copy(COPY_PREFIX, LabTopology.VmmLink.VETH);
    LabSystem copy = new LabSystem(copyTopology, new LabRuntime(Path.of("/run/layertrace/" + COPY_PREFIX + "lab")),
        List.of());
    double[] up = new double[runs];
    double[] down = new double[runs];
    try (LabSystem.AutoCloseableLock hold = lab.hold()) {
      lab.down();
      for (int i = 0; i < runs; i++) {
        up[i] = lab.up().took().toNanos() / 1e6;
        down[i] = lab.down().toNanos() / 1e6;
      }
      lab.up();
      copy.up();
      long[] rttRelay = LabBenchmarks.icmpRoundTrips(lab.topology(), pings);
      long[] rttVeth = LabBenchmarks.icmpRoundTrips(copyTopology, pings);
      String base = "lab: a copy of the lab (" + COPY_PREFIX + "*) whose guest NIC and host tap are a veth pair";
      List<Figure> figures = new ArrayList<>(List.of(
          Figure.of(SECTION, "lab up, median of " + runs + " (in-process)", median(up), "ms", Target.atMost(3000)),
          Figure.of(SECTION, "lab down, median of " + runs + " (in-process)", median(down), "ms", Target.atMost(1000)),
          new Figure(SECTION, "ICMP RTT lt-ctr → 198.51.100.10 through the relay, median of " + pings,
              median(rttRelay), median(rttVeth), "µs", null, base),
          new Figure(SECTION, "ICMP RTT through the relay, p95 of " + pings, p95(rttRelay), p95(rttVeth), "µs", null,
              base)));
      // A server that stays up, started before the run; the ICMP figures stand even when iperf3 fails.
      try (IperfFlood relayed = IperfFlood.serve(lab.topology().inet(), LabTopology.REMOTE, 5201);
          IperfFlood direct = IperfFlood.serve(copyTopology.inet(), LabTopology.REMOTE, 5201)) {
        double tcpRelay = relayed.run(lab.topology().ctr(), seconds);
        double tcpVeth = direct.run(copyTopology.ctr(), seconds);
        figures.add(new Figure(SECTION, "iperf3 TCP lt-ctr → lt-inet through the relay, " + seconds + " s",
            tcpRelay / 1e9, tcpVeth / 1e9, "Gbit/s", Target.atLeast(1), base));
      } catch (RuntimeException e) {
        notes.add("iperf3 through the lab did not run: " + e.getMessage());
      }
      return figures;
    } finally {
      copy.down();
      if (!wasUp) {
        lab.down();
      }
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double p95(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.95) - 1)];
  }

}
