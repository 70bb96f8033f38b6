package dev.layertrace.sys;

import dev.layertrace.LayertraceException;
import dev.layertrace.check.CommandFact;
import dev.layertrace.check.FactPaths;
import dev.layertrace.check.FileFact;
import dev.layertrace.check.SystemFacts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Collects the {@link SystemFacts} doctor evaluates, once, with the slow parts in parallel: the file
 * reads, the kernel config, the docker socket and the few tool runs ({@code iptables --version},
 * {@code nft -j list ruleset}, {@code iptables-nft-save}, and {@code iptables-legacy-save} /
 * {@code ip -o link show} only when there is something for them to show).
 *
 * <p>With a network namespace name the namespace-scoped facts ({@code /proc/sys/net},
 * {@code /proc/thread-self/net}, the rulesets) are read on threads inside it; a tool spawned from such a
 * thread runs in it too. Mounts and devices stay the process's own.
 */
public final class SystemFactsReader {
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(10);

  private final String netns;
  private final Netns target; // null: the process's own namespace

  private SystemFactsReader(Netns target) {
    this.target = target;
    this.netns = target == null ? "" : target.name();
  }

  /** Reads the facts of this process's namespaces. */
  public static SystemFacts read() {
    return new SystemFactsReader(null).collect();
  }

  /**
   * Reads the facts with the network-scoped ones from namespace {@code netns} (a name under
   * /run/netns); a usage error naming 'ip netns list' when there is none.
   */
  public static SystemFacts read(String netns) {
    return netns.isEmpty() ? read() : read(Netns.named(netns));
  }

  /** Reads the facts with the network-scoped ones from {@code ns} (e.g. a container's {@link Netns#ofPid}). */
  public static SystemFacts read(Netns ns) {
    return new SystemFactsReader(ns).collect();
  }

  private SystemFacts collect() {
    ExecutorService pool = Executors.newFixedThreadPool(6, r -> {
      Thread t = new Thread(r, "layertrace-doctor-read");
      t.setDaemon(true);
      return t;
    });
    try {
      var host = async(pool, this::hostFiles);
      var config = async(pool, KernelConfigSource::read);
      var reference = async(pool, MountTable::reference);
      var docker = async(pool, DockerSocketProbe::probe);
      var version = async(pool, () -> tool(false, "iptables", "--version"));
      var nft = async(pool, () -> tool(true, "nft", "-j", "list", "ruleset"));
      var nftSave = async(pool, () -> tool(true, "iptables-nft-save"));
      var netFiles = async(pool, () -> inNetns(this::netnsFiles));
      // These two only run when the namespace has something for them to show (each spawn costs 5-20 ms).
      var legacy = netFiles.thenApplyAsync(files -> files.get(FactPaths.IP_TABLES_NAMES).lines().isEmpty()
          ? null : tool(true, "iptables-legacy-save"), pool);
      var ipLink = netFiles.thenApplyAsync(files -> files.get(FactPaths.NET_DEV).content().contains("docker0:")
          ? tool(true, "ip", "-o", "link", "show") : null, pool);

      Map<String, FileFact> files = new TreeMap<>(host.join());
      files.putAll(netFiles.join());
      Map<String, CommandFact> commands = new TreeMap<>();
      commands.put(FactPaths.CMD_IPTABLES_VERSION, version.join());
      commands.put(FactPaths.CMD_NFT_RULESET, nft.join());
      commands.put(FactPaths.CMD_IPTABLES_NFT_SAVE, nftSave.join());
      if (legacy.join() != null) {
        commands.put(FactPaths.CMD_IPTABLES_LEGACY_SAVE, legacy.join());
      }
      if (ipLink.join() != null) {
        commands.put(FactPaths.CMD_IP_LINK, ipLink.join());
      }
      return new SystemFacts(netns, files, reference.join(), config.join(), commands, docker.join());
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> CompletableFuture<T> async(ExecutorService pool, Supplier<T> s) {
    return CompletableFuture.supplyAsync(s, pool);
  }

  private Map<String, FileFact> hostFiles() {
    Map<String, FileFact> m = new TreeMap<>();
    for (String p : FactPaths.HOST_FILES) {
      m.put(p, FactFiles.read(p));
    }
    for (String p : FactPaths.HOST_DIRS) {
      m.put(p, FactFiles.read(p));
    }
    for (String p : FactPaths.DEVICES) {
      m.put(p, FactFiles.read(p));
    }
    return m;
  }

  /** Netns-scoped files, read on the calling thread (which {@link #inNetns} placed in the namespace). */
  private Map<String, FileFact> netnsFiles() {
    Map<String, FileFact> m = new TreeMap<>();
    List<String> all = new ArrayList<>(FactPaths.NETNS_FILES);
    all.addAll(FactPaths.NETNS_DIRS);
    for (String p : all) {
      // /proc/net follows the process's main thread; /proc/thread-self/net follows this thread.
      String actual = p.startsWith("/proc/net") ? "/proc/thread-self/net" + p.substring("/proc/net".length()) : p;
      m.put(p, FactFiles.read(p, Path.of(actual)));
    }
    return m;
  }

  private <T> T inNetns(Callable<T> task) {
    if (target == null) {
      try {
        return task.call();
      } catch (Exception e) {
        throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
      }
    }
    try (NetnsExecutor ex = NetnsExecutor.enter(target)) {
      return ex.call(task);
    }
  }

  /** Runs a tool (in the namespace when {@code scoped}); a missing tool is a fact, not an error. */
  private CommandFact tool(boolean scoped, String... argv) {
    List<String> args = List.of(argv);
    if (Commands.which(argv[0]).isEmpty()) {
      return CommandFact.notRun(args, "not installed");
    }
    try {
      Commands.Result r = scoped ? inNetns(() -> Commands.run(args, null, TOOL_TIMEOUT))
          : Commands.run(args, null, TOOL_TIMEOUT);
      return new CommandFact(r.argv(), r.exitCode(), r.stdout(), r.stderr(), "");
    } catch (LayertraceException e) {
      return CommandFact.notRun(args, e.getMessage());
    }
  }
}
