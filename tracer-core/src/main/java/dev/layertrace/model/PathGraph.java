package dev.layertrace.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The layers discovered for one source and destination, the typed edges between them, and the
 * expected path: the ids of the layers a request crosses, in order.
 */
public record PathGraph(List<Layer> nodes, List<Edge> edges, List<String> path) {

  public PathGraph {
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    edges = edges == null ? List.of() : List.copyOf(edges);
    path = path == null ? List.of() : List.copyOf(path);
    Set<String> ids = new HashSet<>();
    for (Layer l : nodes) {
      if (!ids.add(l.id())) {
        throw new IllegalArgumentException("duplicate layer id '" + l.id() + "'");
      }
    }
    for (Edge e : edges) {
      if (!ids.contains(e.from()) || !ids.contains(e.to())) {
        throw new IllegalArgumentException("edge " + e.from() + " → " + e.to() + " names an unknown layer");
      }
    }
    for (String id : path) {
      if (!ids.contains(id)) {
        throw new IllegalArgumentException("path names an unknown layer '" + id + "'");
      }
    }
  }

  /** A graph whose path is all of its nodes in order, joined by the given edges. */
  public static PathGraph linear(List<Layer> nodes, List<Edge> edges) {
    return new PathGraph(nodes, edges, nodes.stream().map(Layer::id).toList());
  }

  public Optional<Layer> layer(String id) {
    return nodes.stream().filter(l -> l.id().equals(id)).findFirst();
  }

  /** The layers of the expected path, in order. */
  public Path toPath() {
    Map<String, Layer> byId = new HashMap<>();
    nodes.forEach(l -> byId.put(l.id(), l));
    List<Layer> hops = new ArrayList<>(path.size());
    path.forEach(id -> hops.add(byId.get(id)));
    return new Path(hops);
  }

  /** The first layer on the path that matches a verdict's or finding's reference, if any. */
  public Optional<Layer> find(LayerRef ref) {
    if (ref == null) {
      return Optional.empty();
    }
    return toPath().hops().stream()
        .filter(l -> l.kind() == ref.kind())
        .filter(l -> ref.netns() == null || ref.netns().equals(l.netns()))
        .filter(l -> ref.iface() == null || ref.iface().equals(l.iface()))
        .findFirst();
  }
}
