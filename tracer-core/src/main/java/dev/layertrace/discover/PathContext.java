package dev.layertrace.discover;

import dev.layertrace.model.Edge;
import dev.layertrace.model.EdgeKind;
import dev.layertrace.model.Finding;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.LayerRef;
import dev.layertrace.model.Severity;
import dev.layertrace.netlink.Link;
import dev.layertrace.netlink.Route;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The state of one resolution while it walks the path: the layers so far, the edges between them and
 * the findings. Belongs to one {@link PathResolver#resolve} call.
 */
final class PathContext {
  final HostView host;
  final PathRequest request;
  final NetfilterHook netfilter;
  final List<Layer> layers = new ArrayList<>();
  final List<Edge> edges = new ArrayList<>();
  final List<Finding> findings = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  private final Set<String> visited = new HashSet<>();
  /** The packet's source address as the next namespace sees it (after NAT where known). */
  String source;
  /** The source address before any translation: what the container sends. */
  String originalSource;
  /** The source's MTU: what the narrowest link is compared with. */
  int sourceMtu;
  /** Set where the path leaves into a VMM whose far side is not visible (see {@link Handoff}). */
  Handoff handoff;
  private EdgeKind nextEdge;

  PathContext(HostView host, PathRequest request, NetfilterHook netfilter) {
    this.host = host;
    this.request = request;
    this.netfilter = netfilter;
  }

  /** Appends a layer, joined to the previous one by the edge kind announced with {@link #via}. */
  Layer add(Layer layer) {
    String id = layer.id();
    for (int n = 2; hasLayer(id); n++) {
      id = layer.id() + "#" + n;
    }
    Layer placed = id.equals(layer.id()) ? layer : withId(layer, id);
    if (!layers.isEmpty()) {
      edges.add(new Edge(last().id(), placed.id(), nextEdge == null ? EdgeKind.ROUTE : nextEdge, null));
    }
    layers.add(placed);
    nextEdge = null;
    return placed;
  }

  /** The edge kind that joins the next added layer to the current last one. */
  PathContext via(EdgeKind kind) {
    nextEdge = kind;
    return this;
  }

  private boolean hasLayer(String id) {
    return layers.stream().anyMatch(l -> l.id().equals(id));
  }

  Layer last() {
    return layers.get(layers.size() - 1);
  }

  /** Replaces the last layer (to add facts found after it was placed). */
  void replaceLast(Layer l) {
    layers.set(layers.size() - 1, l);
  }

  /** Marks a namespace/interface as crossed; false when already crossed (a loop). */
  boolean firstVisit(String netns, String ifname) {
    return visited.add(netns + "/" + ifname);
  }

  void finding(LayerKind kind, String netns, String iface, String code, Severity severity, String message,
      String fix, String... evidence) {
    findings.add(new Finding(LayerRef.of(kind, netns, iface), code, severity, message, fix, List.of(evidence)));
  }

  boolean hasError() {
    return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
  }

  /** Records that the path leaves by {@code link} into a VMM this process cannot look behind. */
  void handOff(NamespaceSnapshot ns, Link link, Route route) {
    handoff = new Handoff(ns.name(), link.name(), ns.cidrs(link.index()), link.mac(), source, originalSource,
        route == null ? null : route.prefSrc(), sourceMtu);
  }

  /** A device layer with the link's facts filled. */
  static Layer deviceLayer(LayerKind kind, NamespaceSnapshot ns, Link link) {
    return Layer.of(ns.name() + "/" + link.name(), kind, ns.name(), link.name())
        .withLink(ns.cidrs(link.index()), link.mac(), link.mtu() > 0 ? link.mtu() : null, link.operState(),
            link.driver())
        .withMaster(link.master() == 0 ? null : ns.linkName(link.master()));
  }

  private static Layer withId(Layer l, String id) {
    return new Layer(id, l.kind(), l.netns(), l.iface(), l.kernel(), l.addresses(), l.mac(), l.mtu(),
        l.operState(), l.master(), l.peer(), l.driver(), l.details());
  }
}
