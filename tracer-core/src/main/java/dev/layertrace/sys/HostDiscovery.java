package dev.layertrace.sys;

import dev.layertrace.LayertraceException;
import dev.layertrace.discover.HostSnapshot;
import dev.layertrace.discover.NamespaceInventory;
import dev.layertrace.discover.NamespaceSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads every namespace of the host (inventory, dumps, sysctls) and resolves every veth peer: the
 * candidates by ifindex cross-reference, each confirmed by one RTM_GETNSID (NETNSA_FD) from the
 * asking namespace.
 */
public final class HostDiscovery {
  private HostDiscovery() {}

  /** Namespace reads in flight at once: entering a namespace mostly waits on the kernel, not the CPU. */
  private static final int PARALLEL_READS = Integer.getInteger("layertrace.discovery.threads", 32);

  public static HostSnapshot discoverAll(LiveHost host) {
    NamespaceInventory inv = host.inventory();
    List<NamespaceSnapshot> all = new ArrayList<>();
    // Platform threads of our own (never a shared pool): each read enters a namespace on a thread of its own.
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_READS, r -> {
      Thread t = new Thread(r, "layertrace-discovery");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<NamespaceSnapshot>> reads = new ArrayList<>();
      for (NamespaceInventory.Entry e : inv.entries()) {
        reads.add(pool.submit(() -> read(host, e.name())));
      }
      for (Future<NamespaceSnapshot> f : reads) {
        NamespaceSnapshot s = get(f);
        if (s != null) {
          all.add(s);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    Map<String, Map<Integer, String>> peers = new HashMap<>();
    for (HostSnapshot.PeerQuestion q : HostSnapshot.peerQuestions(all)) {
      Map<Integer, String> known = peers.computeIfAbsent(q.netns(), k -> new HashMap<>());
      int nsid = q.link().linkNetnsId();
      if (known.containsKey(nsid)) {
        continue;
      }
      for (String candidate : q.candidates()) {
        if (host.nsidOf(q.netns(), candidate) == nsid) {
          known.put(nsid, candidate);
          break;
        }
      }
      if (!known.containsKey(nsid)) {
        host.resolveNsid(q.netns(), nsid).ifPresent(name -> known.put(nsid, name));
      }
    }
    return new HostSnapshot(inv, all, peers);
  }

  /** A namespace's snapshot, or null when it went away since the scan. */
  private static NamespaceSnapshot read(LiveHost host, String name) {
    try {
      return host.namespace(name).decode();
    } catch (LayertraceException gone) {
      if (gone.exitCode() != dev.layertrace.ExitCode.USAGE) {
        throw gone;
      }
      return null;
    }
  }

  private static <T> T get(Future<T> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LayertraceException(dev.layertrace.ExitCode.INTERNAL, "interrupted during discovery");
    }
  }
}
