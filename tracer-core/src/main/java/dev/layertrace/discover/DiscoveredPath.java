package dev.layertrace.discover;

import dev.layertrace.model.Finding;
import dev.layertrace.model.PathGraph;
import java.util.List;

/**
 * The result of path resolution: the graph (its path in order), the static findings, notes, and — when
 * the path leaves into a VMM whose far side this process cannot see — the {@link Handoff} an agent on
 * the other kernel continues from (null otherwise).
 */
public record DiscoveredPath(PathGraph graph, List<Finding> findings, List<String> notes, Handoff handoff) {
  public DiscoveredPath {
    findings = List.copyOf(findings);
    notes = List.copyOf(notes);
  }

  public DiscoveredPath(PathGraph graph, List<Finding> findings, List<String> notes) {
    this(graph, findings, notes, null);
  }
}
