package dev.layertrace.sys;

import dev.layertrace.LayertraceException;
import dev.layertrace.discover.HostSnapshot;
import dev.layertrace.discover.NamespaceInventory;
import dev.layertrace.discover.NamespaceSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads every namespace of the host (inventory, dumps, sysctls) and resolves every veth peer: the
 * candidates by ifindex cross-reference, each confirmed by one RTM_GETNSID (NETNSA_FD) from the
 * asking namespace.
 */
public final class HostDiscovery {
  private HostDiscovery() {}

  /**
   * Walker threads reading namespaces: entering one costs a setns, not a thread start, and the reads
   * are CPU-bound, so one per core (more did not help on the 2-core CI machine).
   */
  private static final int WALKERS = Integer.getInteger("layertrace.discovery.threads",
      Runtime.getRuntime().availableProcessors());

  public static HostSnapshot discoverAll(LiveHost host) {
    NamespaceInventory inv = host.inventory();
    host.readAll(WALKERS);
    // Decoding is pure and ~40 µs a namespace: on all cores (the walkers have ended), in inventory order.
    List<NamespaceSnapshot> all = inv.entries().parallelStream().map(e -> read(host, e.name()))
        .filter(java.util.Objects::nonNull).toList();
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


}
