package dev.layertrace.lab;

import java.util.List;

/**
 * The answer of {@code lab status}: every check, the relay, the end-to-end reachability, and
 * whether the lab is healthy (every check ok).
 *
 * @param reachability null when it could not be checked (the lab is not up)
 */
public record LabStatus(boolean up, boolean healthy, List<LabCheck> checks, RelayStatus relay,
    Reachability reachability, String digest) {
  public LabStatus {
    checks = List.copyOf(checks);
  }

  /** The failed checks. */
  public List<LabCheck> problems() {
    return checks.stream().filter(c -> !c.ok()).toList();
  }
}
