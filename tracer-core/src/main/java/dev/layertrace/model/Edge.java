package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A typed edge between two layers of a graph, by layer id. The label says what happens on it, e.g.
 * a NAT rewrite {@code src 172.17.0.2 → 172.16.0.2}, or the route used.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Edge(String from, String to, EdgeKind type, String label) {
  public Edge {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(type, "type");
  }
}
