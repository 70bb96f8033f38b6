package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * Where a probe stopped, why, on what evidence, and how to fix it.
 *
 * @param layer where the request or reply stopped; null for {@code reached}
 * @param cause a short code: {@code no-route}, {@code link-down}, {@code not-translated}, …
 * @param evidence each item cites what it rests on (an observation, a kernel event, a rule)
 * @param fix a concrete command, or null when none applies
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Verdict(
    String probeId,
    Outcome outcome,
    LayerRef layer,
    String cause,
    String explanation,
    List<String> evidence,
    String fix) {
  public Verdict {
    Objects.requireNonNull(outcome, "outcome");
    evidence = evidence == null ? List.of() : List.copyOf(evidence);
  }
}
