package dev.layertrace.discover;

import dev.layertrace.netlink.Link;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every namespace of a host read at once, with each veth peer resolved to its namespace: what
 * {@code layertrace bench discovery} measures and what a whole-host view (many containers) starts from.
 *
 * @param peers for each namespace, its nsid → the namespace that id names (only ids its links use)
 */
public record HostSnapshot(NamespaceInventory inventory, List<NamespaceSnapshot> namespaces,
    Map<String, Map<Integer, String>> peers) {

  public HostSnapshot {
    namespaces = List.copyOf(namespaces);
    peers = Map.copyOf(peers);
  }

  /** A veth whose peer lies in another namespace and the namespaces that could hold that peer. */
  public record PeerQuestion(String netns, Link link, List<String> candidates) {}

  /**
   * For every link with IFLA_LINK_NETNSID, the namespaces holding a veth at its peer index that points
   * back at it: usually one, which a single RTM_GETNSID then confirms (plotnetcfg's post pass, without
   * asking every namespace about every other).
   */
  public static List<PeerQuestion> peerQuestions(List<NamespaceSnapshot> all) {
    // (ifindex, peer ifindex) → namespaces that have a veth with that ifindex pointing elsewhere at that
    // peer ifindex: one lookup per question, as a thousand ports would otherwise cost n² comparisons.
    Map<Long, List<String>> byIndexAndPeer = new java.util.HashMap<>();
    for (NamespaceSnapshot ns : all) {
      for (Link l : ns.links()) {
        if (l.isVeth() && l.linkNetnsId() != null) {
          byIndexAndPeer.computeIfAbsent(pair(l.index(), l.link()), k -> new ArrayList<>()).add(ns.name());
        }
      }
    }
    List<PeerQuestion> out = new ArrayList<>();
    for (NamespaceSnapshot ns : all) {
      for (Link l : ns.links()) {
        if (l.linkNetnsId() == null || l.link() == 0) {
          continue;
        }
        List<String> candidates = byIndexAndPeer.getOrDefault(pair(l.link(), l.index()), List.of()).stream()
            .filter(c -> !c.equals(ns.name()))
            .toList();
        out.add(new PeerQuestion(ns.name(), l, candidates));
      }
    }
    return out;
  }

  private static long pair(int index, int peer) {
    return ((long) index << 32) | (peer & 0xffffffffL);
  }

  public Optional<NamespaceSnapshot> namespace(String name) {
    return namespaces.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  /** Links of all namespaces. */
  public int linkCount() {
    return namespaces.stream().mapToInt(n -> n.links().size()).sum();
  }
}
