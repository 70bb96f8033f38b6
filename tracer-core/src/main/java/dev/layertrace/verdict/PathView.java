package dev.layertrace.verdict;

import dev.layertrace.model.Direction;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.LayerRef;
import dev.layertrace.model.Observation;
import dev.layertrace.model.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The expected path with one probe's observations laid on it: what was seen where, in path order. */
final class PathView {
  final List<Layer> hops;
  private final List<Observation> observations;

  PathView(Path path, List<Observation> observations) {
    this.hops = path.hops();
    this.observations = observations;
  }

  int indexOf(String layerId) {
    for (int i = 0; i < hops.size(); i++) {
      if (hops.get(i).id().equals(layerId)) {
        return i;
      }
    }
    return -1;
  }

  Layer source() {
    return hops.get(0);
  }

  Layer last() {
    return hops.get(hops.size() - 1);
  }

  List<Observation> at(int index, Direction d) {
    String id = hops.get(index).id();
    return observations.stream().filter(o -> o.layerId().equals(id) && o.direction() == d).toList();
  }

  /** The furthest path index where the request was seen, -1 when nowhere. */
  int lastSeenRequest() {
    int last = -1;
    for (Observation o : observations) {
      if (o.direction() == Direction.REQUEST) {
        last = Math.max(last, indexOf(o.layerId()));
      }
    }
    return last;
  }

  /** The request observation at {@code index} that best shows what left it (outgoing if any). */
  Optional<Observation> requestAt(int index) {
    List<Observation> here = at(index, Direction.REQUEST);
    return here.stream().filter(Observation::outgoing).findFirst().or(() -> here.stream().findFirst());
  }

  List<Observation> replies() {
    return observations.stream().filter(o -> o.direction() == Direction.REPLY).toList();
  }

  /** The first path layer at or after {@code from} that matches kind and namespace. */
  Optional<Layer> find(LayerKind kind, String netns, int from) {
    for (int i = Math.max(0, from); i < hops.size(); i++) {
      Layer l = hops.get(i);
      if (l.kind() == kind && Objects.equals(l.netns(), netns)) {
        return Optional.of(l);
      }
    }
    return hops.stream().filter(l -> l.kind() == kind && Objects.equals(l.netns(), netns)).findFirst();
  }

  /** A reference to the layer of {@code kind} in {@code netns}: the path's own when it has one. */
  LayerRef ref(LayerKind kind, String netns, int from) {
    return find(kind, netns, from).map(Layer::ref).orElse(LayerRef.of(kind, netns, null));
  }

  /** The first device layer (one with an interface) in {@code netns} after {@code from}: where a packet leaves. */
  Optional<Layer> egress(String netns, int from) {
    for (int i = Math.max(0, from + 1); i < hops.size(); i++) {
      Layer l = hops.get(i);
      if (l.iface() != null && Objects.equals(l.netns(), netns) && l.kind() != LayerKind.BRIDGE) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  /** Path indices of the device layers of {@code netns}, in order. */
  List<Integer> devices(String netns) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < hops.size(); i++) {
      if (hops.get(i).iface() != null && Objects.equals(hops.get(i).netns(), netns)) {
        out.add(i);
      }
    }
    return out;
  }

  /** The layer that owns {@code ip} as one of its addresses, if any. */
  Optional<Integer> owner(String ip) {
    for (int i = 0; i < hops.size(); i++) {
      for (String cidr : hops.get(i).addresses()) {
        if (cidr.equals(ip) || cidr.startsWith(ip + "/")) {
          return Optional.of(i);
        }
      }
    }
    return Optional.empty();
  }

  /** {@code observation lt-guest/docker0: 172.17.0.2 → 198.51.100.10  ttl 64 (in)}. */
  static String cite(Observation o) {
    return "observation " + o.layerId() + ": " + (o.direction() == Direction.REPLY ? "reply " : "")
        + o.packet().summary() + (o.outgoing() ? " (out)" : " (in)");
  }
}
