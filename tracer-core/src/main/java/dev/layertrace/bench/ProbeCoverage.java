package dev.layertrace.bench;

import dev.layertrace.model.Direction;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.Observation;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Probe;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which probes were seen on their way out at every device layer of the path (container, veth,
 * bridge, guest NIC, host tap, uplink, remote) — the layers where an observer watches an interface;
 * forwarding, filter, NAT and the VMM link are judged, not watched.
 */
public final class ProbeCoverage {
  static final Set<LayerKind> DEVICES = EnumSet.of(LayerKind.CONTAINER, LayerKind.VETH, LayerKind.BRIDGE,
      LayerKind.NIC, LayerKind.TAP, LayerKind.UPLINK, LayerKind.REMOTE);

  private ProbeCoverage() {}

  /** How many of {@code probes} were seen as requests at all {@code deviceLayers} device layers. */
  public record Count(int probes, int seenEverywhere, int deviceLayers) {
    public Count plus(Count o) {
      return new Count(probes + o.probes, seenEverywhere + o.seenEverywhere, Math.max(deviceLayers, o.deviceLayers));
    }
  }

  public static Count count(PathGraph graph, List<Probe> probes, List<Observation> observations) {
    List<String> devices = graph.toPath().hops().stream().filter(l -> DEVICES.contains(l.kind()) && l.iface() != null)
        .map(Layer::id).toList();
    Map<String, Set<String>> seen = new HashMap<>();
    for (Observation o : observations) {
      if (o.direction() == Direction.REQUEST) {
        seen.computeIfAbsent(o.probeId(), k -> new HashSet<>()).add(o.layerId());
      }
    }
    int full = 0;
    for (Probe p : probes) {
      if (seen.getOrDefault(p.id(), Set.of()).containsAll(devices)) {
        full++;
      }
    }
    return new Count(probes.size(), full, devices.size());
  }
}
