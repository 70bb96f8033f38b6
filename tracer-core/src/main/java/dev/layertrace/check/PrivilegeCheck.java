package dev.layertrace.check;

import java.util.ArrayList;
import java.util.List;

/** The capabilities layertrace needs: CAP_NET_ADMIN, CAP_NET_RAW and CAP_SYS_ADMIN (setns, tracefs). */
public final class PrivilegeCheck implements Check {
  private static final int CAP_NET_ADMIN = 12;
  private static final int CAP_NET_RAW = 13;
  private static final int CAP_SYS_ADMIN = 21;

  @Override
  public String id() {
    return "layertrace.privilege";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.LAYERTRACE;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    String why = "without them layertrace cannot enter namespaces, read rulesets or send its probe, and"
        + " doctor reports unknown for what it cannot read";
    FileFact status = facts.file(FactPaths.STATUS);
    String capEff = status.lines().stream().filter(l -> l.startsWith("CapEff:")).map(l -> l.substring(7).strip())
        .findFirst().orElse("");
    if (capEff.isEmpty()) {
      return result(CheckStatus.UNKNOWN, List.of(status.evidence()), why, "run as root");
    }
    long caps;
    try {
      caps = Long.parseUnsignedLong(capEff, 16);
    } catch (NumberFormatException e) {
      return result(CheckStatus.UNKNOWN, List.of(FactPaths.STATUS + ": CapEff " + capEff), why, "run as root");
    }
    List<String> lacking = new ArrayList<>();
    if ((caps & (1L << CAP_NET_ADMIN)) == 0) {
      lacking.add("CAP_NET_ADMIN");
    }
    if ((caps & (1L << CAP_NET_RAW)) == 0) {
      lacking.add("CAP_NET_RAW");
    }
    if ((caps & (1L << CAP_SYS_ADMIN)) == 0) {
      lacking.add("CAP_SYS_ADMIN");
    }
    List<String> evidence = List.of(FactPaths.STATUS + ": CapEff " + capEff
        + (lacking.isEmpty() ? "" : " (lacks " + String.join(", ", lacking) + ")"));
    return result(lacking.isEmpty() ? CheckStatus.OK : CheckStatus.MISSING, evidence, why,
        "run as root (sudo layertrace ...)");
  }
}
