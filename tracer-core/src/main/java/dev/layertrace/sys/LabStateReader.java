package dev.layertrace.sys;

import dev.layertrace.lab.LabSnapshot;
import dev.layertrace.lab.LabStateParser;
import dev.layertrace.lab.NamespaceState;
import dev.layertrace.lab.Reachability;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads the lab's namespaces with the tools ({@code ip -j}, {@code sysctl}, {@code iptables-save},
 * {@code nft -s list ruleset}) into a {@link LabSnapshot}, and checks reachability with a real ICMP
 * echo sent from a thread inside the source namespace.
 */
public final class LabStateReader {
  /** The sysctls of the digest: forwarding, reverse-path filtering, IPv6 off. */
  static final String SYSCTL_PATTERN =
      "^net\\.ipv4\\.(ip_forward|conf\\..*\\.rp_filter)$|^net\\.ipv6\\.conf\\.(all|default)\\.disable_ipv6$";

  private LabStateReader() {}

  /** True when {@code /run/netns/NAME} exists. */
  public static boolean exists(String netns) {
    return Files.exists(Netns.RUN_NETNS.resolve(netns));
  }

  /** The state of every namespace in {@code namespaces} that exists, read in parallel. */
  public static LabSnapshot snapshot(List<String> namespaces) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, namespaces.size()), r -> {
      Thread t = new Thread(r, "layertrace-lab-reader");
      t.setDaemon(true);
      return t;
    });
    try {
      List<CompletableFuture<NamespaceState>> parts = new ArrayList<>();
      for (String ns : namespaces) {
        if (exists(ns)) {
          parts.add(CompletableFuture.supplyAsync(() -> read(ns), pool));
        }
      }
      return new LabSnapshot(parts.stream().map(CompletableFuture::join).toList());
    } finally {
      pool.shutdown();
    }
  }

  /** One namespace's state. */
  public static NamespaceState read(String netns) {
    ToolOutputs o = toolOutputs(netns);
    return LabStateParser.parse(netns, o.ipAddress(), o.ipRoute(), o.sysctl(), o.iptablesSave(), o.nftRuleset());
  }

  /** What the five tools print for one namespace, verbatim (also what the parser's test fixtures hold). */
  public record ToolOutputs(String ipAddress, String ipRoute, String sysctl, String iptablesSave, String nftRuleset) {}

  /** Runs the five tools in {@code netns}. */
  public static ToolOutputs toolOutputs(String netns) {
    return new ToolOutputs(
        Commands.run("ip", "-n", netns, "-j", "-d", "address", "show").orThrow().stdout(),
        Commands.run("ip", "-n", netns, "-j", "route", "show").orThrow().stdout(),
        Commands.run("ip", "netns", "exec", netns, "sysctl", "-a", "-r", SYSCTL_PATTERN).stdout(),
        Commands.run("ip", "netns", "exec", netns, "iptables-save").stdout(),
        Commands.run("ip", "netns", "exec", netns, "nft", "-s", "list", "ruleset").stdout());
  }

  /**
   * Sends ICMP echoes from a thread in {@code fromNetns} to {@code to} (the JDK opens a raw ICMP
   * socket on that thread when it runs as root) until one is answered or {@code attempts} are spent.
   */
  public static Reachability icmp(String fromNetns, String fromLabel, String to, int attempts, int timeoutMs) {
    try (NetnsExecutor ns = NetnsExecutor.enter(Netns.named(fromNetns))) {
      return ns.call(() -> {
        InetAddress dst = InetAddress.getByName(to);
        for (int i = 0; i < attempts; i++) {
          long t0 = System.nanoTime();
          if (dst.isReachable(timeoutMs)) {
            return new Reachability(fromLabel, to, true, (System.nanoTime() - t0) / 1000);
          }
        }
        return new Reachability(fromLabel, to, false, -1);
      });
    }
  }
}
