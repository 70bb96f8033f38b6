package dev.layertrace.cli;

import dev.layertrace.lab.LabTopology;
import dev.layertrace.sys.LabBenchmarks;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.LabStateReader;
import dev.layertrace.sys.LabSystem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
  @SuppressWarnings("try") // the try block holds the lab lock
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
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
      double tcpRelay = LabBenchmarks.tcpThroughput(lab.topology(), seconds);
      double tcpVeth = LabBenchmarks.tcpThroughput(copyTopology, seconds);

      String fmt = "%-44s | %14s | %14s | %s%n";
      out.printf(fmt, "figure", "relay (ours)", "veth (baseline)", "target");
      out.println("-".repeat(44) + "-|-" + "-".repeat(14) + "-|-" + "-".repeat(14) + "-|-------");
      out.printf(fmt, "lab up, median of " + runs + " (in-process)", ms(median(up)), "", "<= 3000 ms (+ JVM start)");
      out.printf(fmt, "lab down, median of " + runs + " (in-process)", ms(median(down)), "", "<= 1000 ms (+ JVM start)");
      out.printf(fmt, "ICMP RTT lt-ctr → 198.51.100.10, median", us(median(rttRelay)), us(median(rttVeth)), "");
      out.printf(fmt, "ICMP RTT, p95 of " + pings, us(p95(rttRelay)), us(p95(rttVeth)), "");
      out.printf(fmt, "iperf3 TCP lt-ctr → lt-inet, " + seconds + " s", gbit(tcpRelay), gbit(tcpVeth), ">= 1 Gbit/s");
      out.printf("(%d cores; load average %s; java %s)%n", Runtime.getRuntime().availableProcessors(),
          loadAverage(), System.getProperty("java.version"));
      out.flush();
    } finally {
      copy.down();
      if (!wasUp) {
        lab.down();
      }
    }
    return 0;
  }

  private static String loadAverage() {
    return String.format(Locale.ROOT, "%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage());
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

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%.0f ms", v);
  }

  private static String us(double v) {
    return String.format(Locale.ROOT, "%.0f µs", v);
  }

  private static String gbit(double bps) {
    return String.format(Locale.ROOT, "%.2f Gbit/s", bps / 1e9);
  }
}
