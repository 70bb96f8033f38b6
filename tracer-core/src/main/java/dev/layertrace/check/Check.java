package dev.layertrace.check;

import java.util.List;

/**
 * One assumption the container network stack relies on. Implementations are pure: they look only at
 * the {@link SystemFacts} snapshot, so they are tested by replaying recorded snapshots.
 */
public interface Check {
  /** The stable id, {@code layer.name}. */
  String id();

  CheckLayer layer();

  /** Evaluates the snapshot; never throws for missing facts (that is {@link CheckStatus#UNKNOWN}). */
  CheckResult evaluate(SystemFacts facts);

  /** A result of this check. */
  default CheckResult result(CheckStatus status, List<String> evidence, String why, String fix) {
    return new CheckResult(id(), layer(), status, evidence, why, status == CheckStatus.OK ? "" : fix);
  }
}
