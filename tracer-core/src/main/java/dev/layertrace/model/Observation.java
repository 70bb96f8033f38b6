package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A probe (or its reply) seen at one layer.
 *
 * @param timeNs nanoseconds since the probe was injected, by the observing kernel's monotonic clock;
 *     only comparable within one kernel, so order by path, not by time, across kernels
 * @param outgoing true when the observer saw the packet leave through the interface, false when it
 *     arrived
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Observation(
    String probeId, String layerId, Direction direction, long timeNs, boolean outgoing, SeenPacket packet) {
  public Observation {
    Objects.requireNonNull(probeId, "probeId");
    Objects.requireNonNull(layerId, "layerId");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(packet, "packet");
  }
}
