package dev.layertrace.render;

import dev.layertrace.model.Layer;
import dev.layertrace.model.SeenPacket;
import java.util.List;
import java.util.Objects;

/**
 * One layer of a traced path with what happened to the probe there.
 *
 * @param index position on the path, 0 for the source
 * @param packet the request as seen at this layer, or null when no observer saw it here
 * @param notes why the status is what it is ({@code untranslated}, {@code past the stopping layer},
 *     a kernel drop event), in the order they were found; empty when nothing needs saying
 */
public record TracedLayer(int index, Layer layer, LayerStatus status, SeenPacket packet, List<String> notes) {
  public TracedLayer {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(status, "status");
    notes = notes == null ? List.of() : List.copyOf(notes);
  }
}
