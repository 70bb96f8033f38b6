package dev.layertrace.render;

import dev.layertrace.LayertraceException;
import dev.layertrace.model.Capture;
import dev.layertrace.model.Direction;
import dev.layertrace.model.Edge;
import dev.layertrace.model.EdgeKind;
import dev.layertrace.model.KernelEvent;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.Observation;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Probe;
import dev.layertrace.model.SeenPacket;
import dev.layertrace.model.Verdict;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A capture's path as one probe travelled it: every layer of the expected path with a
 * {@link LayerStatus}. Pure: derived from the capture alone, so every renderer tells the same story.
 *
 * <p>The rules, in order, for the layer at position {@code i} (the "stop" is the verdict's layer
 * when the outcome is {@code stopped} or {@code reply-lost} and that layer is on the path):
 * <ol>
 *   <li>{@code i} is the stop: {@link LayerStatus#STOPPED}, noting the kernel drop event bound to
 *       that layer, if any.
 *   <li>The request was observed here:
 *       <ul>
 *         <li>past the stop: {@link LayerStatus#UNEXPECTED} (it should never have got here as it
 *             is), noted {@code past the stopping layer} unless a more precise note applies;
 *         <li>after a {@code nat} layer, with a source other than the one that NAT should have
 *             written: {@link LayerStatus#UNEXPECTED}, noted {@code untranslated} when the source is
 *             still the probe's own or the one the packet had before that NAT, else
 *             {@code source X, expected Y}. The expected source is the right-hand side of the NAT
 *             edge's label ({@code src 172.17.0.2 → 172.16.0.2}); without such a label, only
 *             "still the pre-NAT source" counts as untranslated;
 *         <li>otherwise {@link LayerStatus#SEEN}.
 *       </ul>
 *   <li>Not observed, a decision layer ({@code forwarding}, {@code filter}, {@code nat},
 *       {@code vmm-link}: layers no observer can watch), judged by its neighbours: passed when it
 *       lies before the stop, or when some layer after it saw the packet (so one between two seen
 *       layers is passed); then {@link LayerStatus#SEEN} before the stop and
 *       {@link LayerStatus#UNEXPECTED} past it. Not passed: {@link LayerStatus#NOT_REACHED}.
 *   <li>Not observed, a device layer: when a later layer was observed (the packet went on without
 *       this observer seeing it) {@link LayerStatus#UNEXPECTED}, noted {@code not observed here};
 *       otherwise {@link LayerStatus#NOT_REACHED}.
 * </ol>
 * For a {@code reply-lost} outcome with no reply observed at all, the last layer that saw the
 * request is also noted {@code no reply}. Observations of other probes and replies are ignored.
 * Where a layer has several request observations, the outgoing one (the packet as it left) wins.
 *
 * @param probe the probe shown, or null when the capture has none (a path-only capture)
 * @param verdict that probe's verdict, or null
 * @param stopIndex position of the stopping layer on the path, or -1
 */
public record TracedPath(Probe probe, Verdict verdict, List<TracedLayer> layers, int stopIndex) {

  /** Layers that decide a packet's fate but have no interface an observer could watch. */
  public static final Set<LayerKind> DECISION_KINDS =
      EnumSet.of(LayerKind.FORWARDING, LayerKind.FILTER, LayerKind.NAT, LayerKind.VMM_LINK);

  private static final Pattern NAT_LABEL = Pattern.compile("src\\s+(\\S+)\\s*(?:→|->)\\s*(\\S+)");

  public TracedPath {
    layers = List.copyOf(layers);
  }

  /** The path as the capture's first probe travelled it. */
  public static TracedPath of(Capture capture) {
    return of(capture, null);
  }

  /**
   * The path as probe {@code probeId} travelled it; null means the first probe.
   *
   * @throws LayertraceException (exit 2) when the capture has no probe with that id
   */
  public static TracedPath of(Capture capture, String probeId) {
    Probe probe = pickProbe(capture, probeId);
    // A verdict without any probe: one that rests on the path's state alone (a frozen VM, where
    // nothing could be sent).
    Verdict verdict = probe == null ? (capture.probes().isEmpty() && capture.verdicts().size() == 1
        ? capture.verdicts().get(0) : null) : capture.verdicts().stream()
        .filter(v -> probe.id().equals(v.probeId())).findFirst()
        .orElse(capture.verdicts().size() == 1 && capture.verdicts().get(0).probeId() == null
            ? capture.verdicts().get(0) : null);
    List<Layer> path = capture.graph().toPath().hops();
    int stop = -1;
    if (verdict != null && (verdict.outcome() == Outcome.STOPPED || verdict.outcome() == Outcome.REPLY_LOST)) {
      stop = capture.graph().find(verdict.layer()).map(l -> capture.graph().path().indexOf(l.id())).orElse(-1);
    }
    Map<String, SeenPacket> seen = requestsByLayer(capture, probe);
    boolean replySeen = probe != null && capture.observations().stream()
        .anyMatch(o -> o.probeId().equals(probe.id()) && o.direction() == Direction.REPLY);
    int lastSeen = -1;
    for (int i = 0; i < path.size(); i++) {
      if (seen.containsKey(path.get(i).id())) {
        lastSeen = i;
      }
    }

    List<TracedLayer> out = new ArrayList<>(path.size());
    String expectedSrc = null;
    String preNatSrc = null;
    String lastSrc = probe == null ? null : probe.src();
    for (int i = 0; i < path.size(); i++) {
      Layer layer = path.get(i);
      SeenPacket p = seen.get(layer.id());
      List<String> notes = new ArrayList<>();
      LayerStatus status;
      if (i == stop) {
        status = LayerStatus.STOPPED;
        kernelEventsAt(capture, probe, layer).forEach(e -> notes.add(e.summary()));
      } else if (p != null) {
        String anomaly = sourceAnomaly(p.src(), expectedSrc, preNatSrc, probe);
        if (anomaly != null) {
          notes.add(anomaly);
        }
        if (stop >= 0 && i > stop) {
          status = LayerStatus.UNEXPECTED;
          if (notes.isEmpty()) {
            notes.add("past the stopping layer");
          }
        } else {
          status = anomaly == null ? LayerStatus.SEEN : LayerStatus.UNEXPECTED;
        }
      } else if (DECISION_KINDS.contains(layer.kind())) {
        // Before the stop a decision was passed — if a probe went there at all.
        boolean passed = (probe != null && stop >= 0 && i < stop) || i < lastSeen;
        if (!passed) {
          status = LayerStatus.NOT_REACHED;
        } else if (stop >= 0 && i > stop) {
          status = LayerStatus.UNEXPECTED;
          notes.add("passed, past the stopping layer");
        } else {
          status = LayerStatus.SEEN;
        }
      } else if (i < lastSeen) {
        status = LayerStatus.UNEXPECTED;
        notes.add("not observed here");
      } else {
        status = LayerStatus.NOT_REACHED;
      }
      if (p != null && i == lastSeen && verdict != null && verdict.outcome() == Outcome.REPLY_LOST && !replySeen) {
        notes.add("no reply");
      }
      out.add(new TracedLayer(i, layer, status, p, notes));

      if (p != null && p.src() != null) {
        lastSrc = p.src();
      }
      if (layer.kind() == LayerKind.NAT) {
        preNatSrc = lastSrc;
        String[] rewrite = natRewrite(capture, layer);
        if (rewrite != null) {
          preNatSrc = rewrite[0];
          expectedSrc = rewrite[1];
        } else {
          expectedSrc = null;
        }
      }
    }
    return new TracedPath(probe, verdict, out, stop);
  }

  /** The stopping layer, if the verdict names one on the path. */
  public Optional<TracedLayer> stoppingLayer() {
    return stopIndex < 0 ? Optional.empty() : Optional.of(layers.get(stopIndex));
  }

  /** How many kernels the path crosses (distinct {@link Layer#kernel()} values); 1 when none are named. */
  public int kernels() {
    long n = layers.stream().map(l -> l.layer().kernel()).filter(Objects::nonNull).distinct().count();
    return (int) Math.max(1, n);
  }

  /** The traced layers by layer id, for renderers that look layers up while drawing a graph. */
  public java.util.Map<String, TracedLayer> byLayerId() {
    java.util.Map<String, TracedLayer> m = new java.util.HashMap<>();
    layers.forEach(t -> m.put(t.layer().id(), t));
    return m;
  }

  /**
   * Short node names {@code n1, n2, …} for every layer of {@code graph}, in node order: layer ids
   * contain slashes and user strings, which graph languages would need escaped as identifiers.
   */
  static java.util.Map<String, String> shortNodeIds(dev.layertrace.model.PathGraph graph) {
    java.util.Map<String, String> ids = new java.util.HashMap<>();
    for (int i = 0; i < graph.nodes().size(); i++) {
      ids.put(graph.nodes().get(i).id(), "n" + (i + 1));
    }
    return ids;
  }

  /** The status of the layer with this id, if it is on the path. */
  public Optional<TracedLayer> layer(String layerId) {
    return layers.stream().filter(l -> l.layer().id().equals(layerId)).findFirst();
  }

  private static Probe pickProbe(Capture capture, String probeId) {
    if (probeId == null) {
      return capture.probes().isEmpty() ? null : capture.probes().get(0);
    }
    return capture.probes().stream().filter(p -> p.id().equals(probeId)).findFirst()
        .orElseThrow(() -> LayertraceException.usage("the capture has no probe '" + probeId + "'"
            + (capture.probes().isEmpty() ? "" : " (probes: "
                + String.join(", ", capture.probes().stream().map(Probe::id).toList()) + ")")));
  }

  private static Map<String, SeenPacket> requestsByLayer(Capture capture, Probe probe) {
    Map<String, SeenPacket> byLayer = new HashMap<>();
    Map<String, Boolean> outgoing = new HashMap<>();
    if (probe == null) {
      return byLayer;
    }
    for (Observation o : capture.observations()) {
      if (!o.probeId().equals(probe.id()) || o.direction() != Direction.REQUEST) {
        continue;
      }
      // The outgoing sighting shows the packet as it left the layer, so it wins over the incoming one.
      if (!byLayer.containsKey(o.layerId()) || (o.outgoing() && !outgoing.get(o.layerId()))) {
        byLayer.put(o.layerId(), o.packet());
        outgoing.put(o.layerId(), o.outgoing());
      }
    }
    return byLayer;
  }

  private static String sourceAnomaly(String src, String expected, String preNat, Probe probe) {
    if (src == null || (expected == null && preNat == null)) {
      return null;
    }
    boolean untranslated = src.equals(preNat) || (probe != null && src.equals(probe.src()));
    if (expected != null && !src.equals(expected)) {
      return untranslated ? "untranslated" : "source " + src + ", expected " + expected;
    }
    return expected == null && untranslated ? "untranslated" : null;
  }

  /** {@code [from, to]} of the NAT edge leaving this layer, when its label says {@code src A → B}. */
  private static String[] natRewrite(Capture capture, Layer nat) {
    for (Edge e : capture.graph().edges()) {
      if (e.from().equals(nat.id()) && e.type() == EdgeKind.NAT && e.label() != null) {
        Matcher m = NAT_LABEL.matcher(e.label());
        if (m.find()) {
          return new String[] {m.group(1), m.group(2)};
        }
      }
    }
    return null;
  }

  private static List<KernelEvent> kernelEventsAt(Capture capture, Probe probe, Layer layer) {
    return capture.kernelEvents().stream()
        .filter(e -> layer.id().equals(e.layerId()))
        .filter(e -> probe == null || e.probeId() == null || probe.id().equals(e.probeId()))
        .toList();
  }
}
