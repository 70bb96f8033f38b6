package dev.layertrace.docker;

import dev.layertrace.LayertraceException;
import java.util.List;
import java.util.Locale;

/**
 * Finds the one container a user means, the way {@code docker inspect} does: a full id first, then a
 * name (with or without Docker's leading {@code /}), then a unique id prefix. An unknown or ambiguous
 * reference is a usage error that lists what there is.
 */
public final class ContainerResolver {
  private static final int LISTED = 5;

  private ContainerResolver() {}

  /** The container {@code ref} names among {@code containers}. */
  public static ContainerSummary resolve(String ref, List<ContainerSummary> containers) {
    String q = ref == null ? "" : ContainerNames.strip(ref.strip());
    if (q.isEmpty()) {
      throw LayertraceException.usage("container: give a name or an id");
    }
    for (ContainerSummary c : containers) {
      if (c.id().equals(q)) {
        return c;
      }
    }
    for (ContainerSummary c : containers) {
      if (c.names().stream().map(ContainerNames::strip).anyMatch(q::equals)) {
        return c;
      }
    }
    String lower = q.toLowerCase(Locale.ROOT);
    List<ContainerSummary> byId = lower.matches("[0-9a-f]+")
        ? containers.stream().filter(c -> c.id().startsWith(lower)).toList()
        : List.of();
    if (byId.size() == 1) {
      return byId.get(0);
    }
    if (byId.size() > 1) {
      throw LayertraceException.usage("container '" + q + "' is ambiguous: " + byId.size()
          + " containers have ids starting with it (" + list(byId) + "); give more of the id or the name");
    }
    throw LayertraceException.usage("no container named '" + q + "' or with an id starting with it ("
        + (containers.isEmpty() ? "the daemon has no containers" : "there are: " + list(containers)) + ")");
  }

  private static String list(List<ContainerSummary> cs) {
    List<String> shown = cs.stream().limit(LISTED)
        .map(c -> c.name() + " " + c.id().substring(0, Math.min(12, c.id().length()))).toList();
    return String.join(", ", shown) + (cs.size() > LISTED ? ", … " + (cs.size() - LISTED) + " more" : "");
  }
}
