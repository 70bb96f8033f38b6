package dev.layertrace.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.layertrace.model.Capture;
import dev.layertrace.model.Verdict;

/**
 * One entry of {@code GET /api/captures}: enough to pick a capture from a list.
 *
 * @param outcome the verdict's outcome word, or null for a path-only capture
 * @param layer where the verdict says the packet stopped ({@code nat lt-guest})
 * @param error why the file could not be read, when it could not; then the other fields are null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaptureSummary(
    String id, String createdAt, String outcome, String cause, String layer, String probe, Integer layers,
    String error) {

  static CaptureSummary of(CaptureId id, Capture c) {
    Verdict v = c.verdict();
    return new CaptureSummary(id.value(), c.createdAt(),
        v == null ? null : v.outcome().word(),
        v == null ? null : v.cause(),
        v == null || v.layer() == null ? null : v.layer().label(),
        c.probes().isEmpty() ? null : c.probes().get(0).describe(),
        c.graph().path().size(), null);
  }

  static CaptureSummary unreadable(CaptureId id, String error) {
    return new CaptureSummary(id.value(), null, null, null, null, null, null, error);
  }
}
