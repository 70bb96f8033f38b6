package dev.layertrace.check;

import java.util.List;

/** {@code net.ipv4.ip_forward}: without it the kernel drops every packet a container sends out. */
public final class IpForwardCheck implements Check {

  @Override
  public String id() {
    return "sysctl.ip_forward";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.SYSCTLS;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    FileFact f = facts.file(FactPaths.IP_FORWARD);
    String why = "the kernel does not forward between docker0 and the uplink: every packet a container sends"
        + " out is dropped (kfree_skb reason IP_INADDRERRORS at ip_error)";
    String fix = (facts.netns().isEmpty() ? "" : "ip netns exec " + facts.netns() + " ")
        + "sysctl -w net.ipv4.ip_forward=1 (dockerd sets it at start unless --ip-forward=false)";
    if (!f.present()) {
      return result(f.absent() ? CheckStatus.MISSING : CheckStatus.UNKNOWN, List.of(f.evidence()), why, fix);
    }
    return result(f.value().equals("1") ? CheckStatus.OK : CheckStatus.WRONG, List.of(f.evidence()), why, fix);
  }
}
