package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * Everything one trace (or path discovery) produced: the graph, the probes, what was seen, static
 * findings and verdicts. Its JSON form is the capture file ({@code docs/capture-format.md}).
 *
 * @param schemaVersion {@code MAJOR.MINOR}; readers accept any minor of their major
 * @param createdAt ISO-8601 UTC instant
 * @param verdict the first probe's verdict, for readers that look at one probe only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schemaVersion", "toolVersion", "createdAt", "host", "verdict", "graph", "probes",
    "observations", "kernelEvents", "findings", "verdicts", "notes"})
public record Capture(
    String schemaVersion,
    String toolVersion,
    String createdAt,
    HostFacts host,
    PathGraph graph,
    List<Probe> probes,
    List<Observation> observations,
    List<KernelEvent> kernelEvents,
    List<Finding> findings,
    List<Verdict> verdicts,
    List<String> notes) {

  /** The schema this build writes. */
  public static final String SCHEMA_VERSION = "1.0";

  public Capture {
    Objects.requireNonNull(schemaVersion, "schemaVersion");
    Objects.requireNonNull(graph, "graph");
    probes = probes == null ? List.of() : List.copyOf(probes);
    observations = observations == null ? List.of() : List.copyOf(observations);
    kernelEvents = kernelEvents == null ? List.of() : List.copyOf(kernelEvents);
    findings = findings == null ? List.of() : List.copyOf(findings);
    verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
    notes = notes == null ? List.of() : List.copyOf(notes);
  }

  /** The first verdict, or null when nothing was traced (a {@code path} capture). */
  @JsonProperty(value = "verdict", access = JsonProperty.Access.READ_ONLY)
  public Verdict verdict() {
    return verdicts.isEmpty() ? null : verdicts.get(0);
  }
}
