package dev.layertrace.check;

import java.util.List;

/** The conntrack table's fill: when full, new connections (and Docker's NAT) are dropped. */
public final class ConntrackTableCheck implements Check {
  /** Above this share of nf_conntrack_max the table is about to overflow. */
  private static final double FULL = 0.9;

  @Override
  public String id() {
    return "sysctl.nf_conntrack";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.SYSCTLS;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    FileFact count = facts.file(FactPaths.CONNTRACK_COUNT);
    FileFact max = facts.file(FactPaths.CONNTRACK_MAX);
    String why = "when the conntrack table is full the kernel drops new connections (\"nf_conntrack: table"
        + " full, dropping packet\"), so containers lose connectivity at random";
    String fix = "sysctl -w net.netfilter.nf_conntrack_max=<larger> or find the connection leak";
    if (!count.present() || !max.present()) {
      return result(CheckStatus.UNKNOWN, List.of(count.evidence(), max.evidence()), why, fix);
    }
    try {
      long c = Long.parseLong(count.value());
      long m = Long.parseLong(max.value());
      boolean full = m > 0 && c >= FULL * m;
      return result(full ? CheckStatus.WRONG : CheckStatus.OK,
          List.of("nf_conntrack_count " + c + " of nf_conntrack_max " + m), why, fix);
    } catch (NumberFormatException e) {
      return result(CheckStatus.UNKNOWN, List.of(count.evidence(), max.evidence()), why, fix);
    }
  }
}
