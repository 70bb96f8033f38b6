package dev.layertrace.web;

import dev.layertrace.model.Capture;
import dev.layertrace.render.TracedLayer;
import dev.layertrace.render.TracedPath;
import java.util.List;

/**
 * {@code GET /api/captures/{id}/path}: each layer's status as tracer-core's {@link TracedPath}
 * derives it, so the page colours layers exactly as the text and SVG renderings do.
 *
 * @param stopIndex position of the stopping layer on the path, or -1
 */
public record PathStatus(String probeId, int stopIndex, int kernels, List<LayerEntry> layers) {

  /** One layer: its id and position, {@code seen|unexpected|stopped|not-reached}, and why. */
  public record LayerEntry(int index, String id, String status, String mark, List<String> notes) {}

  public PathStatus {
    layers = List.copyOf(layers);
  }

  static PathStatus of(Capture capture) {
    TracedPath t = TracedPath.of(capture);
    List<LayerEntry> entries = t.layers().stream().map(PathStatus::entry).toList();
    return new PathStatus(t.probe() == null ? null : t.probe().id(), t.stopIndex(), t.kernels(), entries);
  }

  private static LayerEntry entry(TracedLayer l) {
    return new LayerEntry(l.index(), l.layer().id(), l.status().word(), l.status().mark(false), l.notes());
  }
}
