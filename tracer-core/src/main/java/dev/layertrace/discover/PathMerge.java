package dev.layertrace.discover;

import dev.layertrace.model.Edge;
import dev.layertrace.model.EdgeKind;
import dev.layertrace.model.Finding;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.LayerRef;
import dev.layertrace.model.PathGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins two kernels' halves of one path: the near half (from the source to the device it leaves by,
 * the guest NIC) and the far half an agent resolved (the VMM, the host's tap, on to the destination).
 * The result is one path whose layers carry their kernel, with the VMM boundary a layer of its own
 * between the two. Pure: both halves come in as {@link DiscoveredPath}s.
 */
public final class PathMerge {
  private PathMerge() {}

  /**
   * @param near the half with the source; a trailing placeholder VMM layer is replaced by the far one
   * @param far the agent's half, starting with its VMM layer
   * @param nearKernel,farKernel the kernels' names as layers and renderers show them
   * @param agent how the agent was reached, recorded on the VMM layer
   */
  public static DiscoveredPath merge(DiscoveredPath near, DiscoveredPath far, String nearKernel, String farKernel,
      String agent) {
    List<Layer> nearHops = new ArrayList<>(near.graph().toPath().hops());
    while (!nearHops.isEmpty() && nearHops.get(nearHops.size() - 1).kind() == LayerKind.VMM_LINK) {
      nearHops.remove(nearHops.size() - 1);
    }
    // A real guest's NIC (virtio_net) resolves as an uplink: seen from both kernels it is the guest NIC.
    LayerRef renamedFrom = null;
    if (!nearHops.isEmpty() && nearHops.get(nearHops.size() - 1).kind() == LayerKind.UPLINK) {
      Layer exit = nearHops.get(nearHops.size() - 1);
      renamedFrom = exit.ref();
      nearHops.set(nearHops.size() - 1, withKind(exit, LayerKind.NIC));
    }
    List<Layer> nodes = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Layer l : nearHops) {
      nodes.add(l.withKernel(nearKernel));
      ids.add(l.id());
    }
    Map<String, String> renamed = new HashMap<>();
    List<Layer> farHops = far.graph().toPath().hops();
    String lastNear = nodes.isEmpty() ? null : nodes.get(nodes.size() - 1).id();
    for (Layer l : farHops) {
      String id = ids.contains(l.id()) ? farKernel + ":" + l.id() : l.id();
      renamed.put(l.id(), id);
      ids.add(id);
      Layer placed = withId(l, id);
      if (l.kind() == LayerKind.VMM_LINK) {
        placed = placed.withDetail("agent", agent);
        if (lastNear != null) {
          placed = placed.withPeer(nodes.get(nodes.size() - 1).netns() + "/" + nodes.get(nodes.size() - 1).iface());
        }
      } else {
        placed = placed.withKernel(farKernel);
      }
      nodes.add(placed);
    }
    List<Edge> edges = new ArrayList<>();
    Set<String> kept = new HashSet<>();
    nearHops.forEach(l -> kept.add(l.id()));
    for (Edge e : near.graph().edges()) {
      if (kept.contains(e.from()) && kept.contains(e.to())) {
        edges.add(e);
      }
    }
    if (lastNear != null && !farHops.isEmpty()) {
      edges.add(new Edge(lastNear, renamed.get(farHops.get(0).id()), EdgeKind.VMM_LINK, null));
    }
    for (Edge e : far.graph().edges()) {
      edges.add(new Edge(renamed.get(e.from()), renamed.get(e.to()), e.type(), e.label()));
    }
    List<Finding> findings = new ArrayList<>();
    for (Finding f : near.findings()) {
      findings.add(renamedFrom != null && renamedFrom.equals(f.layer())
          ? new Finding(LayerRef.of(LayerKind.NIC, f.layer().netns(), f.layer().iface()), f.code(), f.severity(),
              f.message(), f.fix(), f.evidence())
          : f);
    }
    Integer nearNarrowest = narrowestMtu(near.findings(), nodes);
    for (Finding f : far.findings()) {
      // One narrowest link on the whole path: the far half's counts only if it is narrower still.
      if ("mtu-exceeded".equals(f.code()) && nearNarrowest != null) {
        Integer farMtu = mtuAt(f.layer(), nodes);
        if (farMtu == null || farMtu >= nearNarrowest) {
          continue;
        }
      }
      findings.add(f);
    }
    List<String> notes = new ArrayList<>(near.notes());
    far.notes().forEach(n -> notes.add(farKernel + ": " + n));
    return new DiscoveredPath(PathGraph.linear(nodes, edges), findings, notes, null);
  }

  /** A one-kernel path with every layer labelled {@code kernel} (a path that never left the guest). */
  public static DiscoveredPath labelled(DiscoveredPath p, String kernel) {
    List<Layer> nodes = p.graph().nodes().stream().map(l -> l.kind() == LayerKind.VMM_LINK ? l : l.withKernel(kernel))
        .toList();
    return new DiscoveredPath(new PathGraph(nodes, p.graph().edges(), p.graph().path()), p.findings(), p.notes(),
        p.handoff());
  }

  private static Integer narrowestMtu(List<Finding> findings, List<Layer> nodes) {
    return findings.stream().filter(f -> "mtu-exceeded".equals(f.code())).map(f -> mtuAt(f.layer(), nodes))
        .filter(java.util.Objects::nonNull).min(Integer::compare).orElse(null);
  }

  private static Integer mtuAt(LayerRef ref, List<Layer> nodes) {
    return nodes.stream().filter(l -> l.kind() == ref.kind() && java.util.Objects.equals(l.netns(), ref.netns())
        && java.util.Objects.equals(l.iface(), ref.iface())).map(Layer::mtu).filter(java.util.Objects::nonNull)
        .findFirst().orElse(null);
  }

  private static Layer withKind(Layer l, LayerKind kind) {
    return new Layer(l.id(), kind, l.netns(), l.iface(), l.kernel(), l.addresses(), l.mac(), l.mtu(), l.operState(),
        l.master(), l.peer(), l.driver(), l.details());
  }

  private static Layer withId(Layer l, String id) {
    return new Layer(id, l.kind(), l.netns(), l.iface(), l.kernel(), l.addresses(), l.mac(), l.mtu(), l.operState(),
        l.master(), l.peer(), l.driver(), l.details());
  }
}
