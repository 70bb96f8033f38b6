package dev.layertrace.check;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.layertrace.ExitCode;
import java.util.Comparator;
import java.util.List;

/**
 * All check results of one doctor run, in the catalog's order.
 *
 * @param netns the network namespace checked; empty for the process's own
 */
public record DoctorReport(String netns, List<CheckResult> checks) {

  public DoctorReport {
    netns = netns == null ? "" : netns;
    checks = List.copyOf(checks);
  }

  /** Evaluates every check of {@link Checks#all()} on {@code facts}. */
  public static DoctorReport evaluate(SystemFacts facts) {
    return evaluate(facts, Checks.all());
  }

  /** Evaluates {@code checks} on {@code facts}; a check that throws is reported unknown, not fatal. */
  public static DoctorReport evaluate(SystemFacts facts, List<Check> checks) {
    return new DoctorReport(facts.netns(), checks.stream().map(c -> safely(c, facts)).toList());
  }

  private static CheckResult safely(Check c, SystemFacts facts) {
    try {
      return c.evaluate(facts);
    } catch (RuntimeException e) {
      return new CheckResult(c.id(), c.layer(), CheckStatus.UNKNOWN, List.of("check failed: " + e.getMessage()),
          "", "");
    }
  }

  /** Failures first (missing, then wrong), then unknown, then ok; catalog order within each. */
  @JsonIgnore
  public List<CheckResult> failuresFirst() {
    return checks.stream().sorted(Comparator.comparingInt(r -> switch (r.status()) {
      case MISSING -> 0;
      case WRONG -> 1;
      case UNKNOWN -> 2;
      case OK -> 3;
    })).toList();
  }

  /** The result with {@code id}. */
  public CheckResult get(String id) {
    return checks.stream().filter(c -> c.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no check " + id));
  }

  /** 0 when nothing is missing or wrong, 1 otherwise. */
  @JsonIgnore
  public int exitCode() {
    return checks.stream().anyMatch(c -> c.status().failed()) ? ExitCode.STOPPED : ExitCode.OK;
  }
}
