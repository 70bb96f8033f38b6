package dev.layertrace.check;

import java.util.List;

/**
 * Reverse-path filtering: strict mode (1) drops packets whose source would not be routed back out of
 * the interface they came in on, which breaks asymmetric paths (several uplinks, policy routing).
 */
public final class RpFilterCheck implements Check {

  @Override
  public String id() {
    return "sysctl.rp_filter";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.SYSCTLS;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    FileFact all = facts.file(FactPaths.RP_FILTER_ALL);
    FileFact def = facts.file(FactPaths.RP_FILTER_DEFAULT);
    String why = "strict reverse-path filtering silently drops replies that arrive on another interface than"
        + " the route back (no drop counter in iptables; kfree_skb reason IP_RPFILTER)";
    String fix = "sysctl -w net.ipv4.conf.all.rp_filter=2 (loose) or 0";
    if (!all.present() || !def.present()) {
      return result(CheckStatus.UNKNOWN, List.of(all.evidence(), def.evidence()), why, fix);
    }
    // The kernel applies the larger of conf/all and conf/IFACE; default seeds new interfaces (docker0, veths).
    boolean strict = all.value().equals("1") || def.value().equals("1");
    return result(strict ? CheckStatus.WRONG : CheckStatus.OK, List.of(all.evidence(), def.evidence()), why, fix);
  }
}
