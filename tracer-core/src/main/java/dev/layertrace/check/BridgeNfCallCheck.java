package dev.layertrace.check;

import java.util.List;

/** {@code net.bridge.bridge-nf-call-iptables}: whether iptables sees bridged container-to-container traffic. */
public final class BridgeNfCallCheck implements Check {

  @Override
  public String id() {
    return "sysctl.bridge_nf_call_iptables";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.SYSCTLS;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    FileFact f = facts.file(FactPaths.BRIDGE_NF_CALL_IPTABLES);
    if (f.absent()) {
      return result(CheckStatus.MISSING, List.of(f.evidence()), BridgeNetfilterCheck.WHY,
          "modprobe br_netfilter (the kernel needs CONFIG_BRIDGE_NETFILTER)");
    }
    String why = "iptables does not see traffic bridged between containers: --icc=false and the isolation"
        + " rules do nothing, and 'docker info' warns \"WARNING: bridge-nf-call-iptables is disabled\"";
    String fix = (facts.netns().isEmpty() ? "" : "ip netns exec " + facts.netns() + " ")
        + "sysctl -w net.bridge.bridge-nf-call-iptables=1";
    if (!f.present()) {
      return result(CheckStatus.UNKNOWN, List.of(f.evidence()), why, fix);
    }
    return result(f.value().equals("1") ? CheckStatus.OK : CheckStatus.WRONG, List.of(f.evidence()), why, fix);
  }
}
