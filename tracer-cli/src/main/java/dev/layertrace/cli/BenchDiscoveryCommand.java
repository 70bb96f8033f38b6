package dev.layertrace.cli;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.discover.HostSnapshot;
import dev.layertrace.sys.Commands;
import dev.layertrace.sys.HostDiscovery;
import dev.layertrace.sys.LiveHost;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code layertrace bench discovery}: builds N namespaces, each with a veth into one bridge namespace,
 * times full discovery of the host (inventory, every namespace's links, addresses, routes, rules,
 * neighbours and sysctls, every veth peer resolved) against {@code ip -all netns exec ip -j -d link show}
 * plus {@code ip -j route} per namespace, and removes the namespaces again.
 */
@Command(
    name = "discovery",
    mixinStandardHelpOptions = true,
    description = {
        "Times full discovery of a host with --namespaces namespaces (each a veth into one bridge) against the"
            + " 'ip' baseline. Needs root; the namespaces are named PREFIX0…PREFIXn and PREFIXbr and are removed"
            + " at the end (also when interrupted by an error).",
        "Targets (issue 4): discovery <= 1 s, >= 20x faster than the baseline, heap <= 256 MiB (run with -Xmx256m)."},
    footerHeading = "%nExamples:%n",
    footer = {"  layertrace bench discovery", "  layertrace bench discovery --namespaces 200 --runs 5"})
public final class BenchDiscoveryCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--namespaces", paramLabel = "N", defaultValue = "1000",
      description = "Namespaces to build. Default: ${DEFAULT-VALUE}.")
  int count;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
      description = "Discovery runs (the first is cold); the baseline runs once. Default: ${DEFAULT-VALUE}.")
  int runs;

  @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = "lt-bench-",
      description = "Namespace name prefix; must start with 'lt-'. Default: ${DEFAULT-VALUE}.")
  String prefix;

  @Override
  public Integer call() {
    if (!prefix.startsWith("lt-") || prefix.contains("/") || count < 1 || runs < 1) {
      throw LayertraceException.usage("--prefix must start with 'lt-'; --namespaces and --runs must be >= 1");
    }
    Commands.require("ip", "iproute2");
    PrintWriter out = spec.commandLine().getOut();
    try {
      long t0 = System.nanoTime();
      build();
      out.printf("built %d namespaces (+1 bridge namespace) in %d ms%n", count, ms(System.nanoTime() - t0));
      List<Long> ours = new ArrayList<>();
      HostSnapshot last = null;
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      for (int i = 0; i < runs; i++) {
        long s = System.nanoTime();
        try (LiveHost host = LiveHost.scan()) {
          last = HostDiscovery.discoverAll(host);
        }
        ours.add(System.nanoTime() - s);
      }
      long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      int resolved = last.peers().values().stream().mapToInt(java.util.Map::size).sum();
      long base = baseline();
      List<Long> sorted = new ArrayList<>(ours);
      Collections.sort(sorted);
      long median = sorted.get(sorted.size() / 2);
      out.printf("%-34s | %10s | %10s | %7s | %s%n", "figure", "ours", "baseline", "ratio", "target");
      out.printf("%-34s | %7d ms | %7d ms | %6.1fx | <= 1000 ms, >= 20x%n", "full discovery, median of " + runs,
          ms(median), ms(base), (double) base / median);
      out.printf("%-34s | %7d ms | %10s | %7s |%n", "full discovery, first (cold)", ms(ours.get(0)), "", "");
      out.printf("%-34s | %6d MiB | %10s | %7s | <= 256 MiB%n", "peak heap used (all pools)", peakHeap >> 20,
          "", "");
      out.printf("namespaces read: %d, links: %d, veth peers resolved: %d; max heap %d MiB%n",
          last.namespaces().size(), last.linkCount(), resolved, Runtime.getRuntime().maxMemory() >> 20);
      return ExitCode.OK;
    } finally {
      teardown();
    }
  }

  /** One 'ip -batch' for the namespaces and veths, one 'ip -n BR -batch' for the bridge side. */
  private void build() {
    teardown();
    String br = prefix + "br";
    StringBuilder root = new StringBuilder("netns add " + br + "\n");
    StringBuilder bridge = new StringBuilder("link add br0 type bridge\nlink set br0 up\n");
    for (int i = 0; i < count; i++) {
      root.append("netns add ").append(prefix).append(i).append('\n');
      // Created straight inside the two namespaces: nothing is added to the root namespace.
      root.append("link add eth0 netns ").append(prefix).append(i).append(" type veth peer name v").append(i)
          .append(" netns ").append(br).append('\n');
      bridge.append("link set v").append(i).append(" master br0 up\n");
    }
    Commands.run(List.of("ip", "-batch", "-"), root.toString(), Duration.ofMinutes(5)).orThrow();
    Commands.run(List.of("ip", "-n", br, "-batch", "-"), bridge.toString(), Duration.ofMinutes(5)).orThrow();
  }

  private long baseline() {
    long s = System.nanoTime();
    Commands.run(List.of("ip", "-all", "netns", "exec", "ip", "-j", "-d", "link", "show"), null,
        Duration.ofMinutes(10)).orThrow();
    String names = Commands.run("ip", "netns", "list").orThrow().stdout();
    for (String line : names.lines().toList()) {
      String ns = line.split(" ")[0];
      if (!ns.isEmpty()) {
        Commands.run("ip", "-n", ns, "-j", "route");
      }
    }
    return System.nanoTime() - s;
  }

  private void teardown() {
    StringBuilder del = new StringBuilder();
    String names = Commands.run("ip", "netns", "list").stdout();
    for (String line : names.lines().toList()) {
      String ns = line.split(" ")[0];
      if (ns.startsWith(prefix)) {
        del.append("netns del ").append(ns).append('\n');
      }
    }
    if (del.length() > 0) {
      Commands.run(List.of("ip", "-force", "-batch", "-"), del.toString(), Duration.ofMinutes(5));
    }
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }
}
