package dev.layertrace.cli;

import dev.layertrace.LayertraceException;
import dev.layertrace.sys.Commands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Containers for the big-host benchmarks, shaped as Docker makes them: each a namespace
 * {@code PREFIXi} whose {@code eth0} (172.17.x.y/16, default via 172.17.0.1) is a veth whose peer
 * {@code vcI} is a port of a bridge in the guest namespace. Nothing is added to the root namespace;
 * {@link #close} removes every namespace with the prefix.
 */
final class BenchContainers implements AutoCloseable {
  /** Container i's address: 172.17.1.2 upwards, clear of the lab container's 172.17.0.2. */
  static String address(int i) {
    return "172.17." + (1 + i / 250) + "." + (2 + i % 250);
  }

  private final String prefix;
  private final String bridgeNetns;
  private final String bridge;
  private int count;

  BenchContainers(String prefix, String bridgeNetns, String bridge) {
    if (!prefix.startsWith("lt-")) {
      throw LayertraceException.usage("container namespaces must be named lt-…");
    }
    this.prefix = prefix;
    this.bridgeNetns = bridgeNetns;
    this.bridge = bridge;
  }

  int count() {
    return count;
  }

  /** Adds containers until there are {@code n}. */
  void growTo(int n) {
    if (n <= count) {
      return;
    }
    StringBuilder root = new StringBuilder();
    StringBuilder ports = new StringBuilder();
    for (int i = count; i < n; i++) {
      root.append("netns add ").append(prefix).append(i).append('\n');
      // Created straight inside the two namespaces: nothing passes through the root namespace.
      root.append("link add eth0 netns ").append(prefix).append(i).append(" type veth peer name vc").append(i)
          .append(" netns ").append(bridgeNetns).append('\n');
      ports.append("link set vc").append(i).append(" master ").append(bridge).append(" up\n");
    }
    Commands.run(List.of("ip", "-batch", "-"), root.toString(), Duration.ofMinutes(5)).orThrow();
    Commands.run(List.of("ip", "-n", bridgeNetns, "-batch", "-"), ports.toString(), Duration.ofMinutes(5)).orThrow();
    // Addresses can only be set inside each namespace: one 'ip -n NS -batch' each, on two threads.
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Commands.Result>> done = new ArrayList<>();
      for (int i = count; i < n; i++) {
        String batch = "addr add " + address(i) + "/16 dev eth0\nlink set eth0 up\nlink set lo up\n"
            + "route add default via 172.17.0.1 dev eth0\n";
        List<String> argv = List.of("ip", "-n", prefix + i, "-batch", "-");
        done.add(pool.submit(() -> Commands.run(argv, batch, Duration.ofSeconds(30))));
      }
      for (Future<Commands.Result> f : done) {
        f.get().orThrow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LayertraceException(dev.layertrace.ExitCode.INTERNAL, "interrupted while adding containers");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new LayertraceException(dev.layertrace.ExitCode.INTERNAL, "adding containers: " + e.getCause(), e);
    } finally {
      pool.shutdownNow();
    }
    count = n;
  }

  /** Removes every namespace named {@code PREFIX<number>}, also ones a crashed run left. */
  @Override
  public void close() {
    StringBuilder del = new StringBuilder();
    for (String line : Commands.run("ip", "netns", "list").stdout().lines().toList()) {
      String ns = line.split(" ")[0];
      if (ns.startsWith(prefix) && ns.substring(prefix.length()).matches("\\d+")) {
        del.append("netns del ").append(ns).append('\n');
      }
    }
    if (del.length() > 0) {
      Commands.run(List.of("ip", "-force", "-batch", "-"), del.toString(), Duration.ofMinutes(5));
    }
    count = 0;
  }
}
