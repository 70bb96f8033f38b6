package dev.layertrace.discover;

import dev.layertrace.model.Finding;
import dev.layertrace.model.PathGraph;
import java.util.List;

/** The result of path resolution: the graph (its path in order), the static findings, and notes. */
public record DiscoveredPath(PathGraph graph, List<Finding> findings, List<String> notes) {
  public DiscoveredPath {
    findings = List.copyOf(findings);
    notes = List.copyOf(notes);
  }
}
