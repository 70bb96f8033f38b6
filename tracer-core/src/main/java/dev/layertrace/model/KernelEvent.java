package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A kernel event bound to a probe, from tracefs: typically {@code skb:kfree_skb} with the function
 * that freed the packet and the drop reason ({@code ip_error}, {@code IP_INADDRERRORS}).
 *
 * @param layerId the layer the event is attributed to, or null where it could not be placed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KernelEvent(
    String probeId, String layerId, String netns, String event, String location, String reason, long timeNs) {

  /** {@code kfree_skb at ip_error: IP_INADDRERRORS}. */
  public String summary() {
    return event + (location == null ? "" : " at " + location) + (reason == null ? "" : ": " + reason);
  }
}
