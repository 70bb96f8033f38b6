package dev.layertrace.docker;

import java.util.List;

/**
 * One entry of {@code GET /containers/json}: enough to find a container by name or id.
 *
 * @param names as Docker lists them, each with a leading {@code /}
 * @param state {@code running}, {@code exited}, {@code created}, …
 */
public record ContainerSummary(String id, List<String> names, String image, String state) {
  public ContainerSummary {
    names = List.copyOf(names);
  }

  /** The first name without Docker's leading {@code /}, or the short id when it has none. */
  public String name() {
    return names.isEmpty() ? id.substring(0, Math.min(12, id.length())) : ContainerNames.strip(names.get(0));
  }
}
