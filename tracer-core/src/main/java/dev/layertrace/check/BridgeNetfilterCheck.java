package dev.layertrace.check;

import java.util.List;
import java.util.Optional;

/**
 * Bridge netfilter ({@code CONFIG_BRIDGE_NETFILTER}, the br_netfilter module): it makes iptables see
 * frames bridged between containers and provides {@code /proc/sys/net/bridge/bridge-nf-call-iptables}.
 */
public final class BridgeNetfilterCheck implements Check {
  static final String WHY = "without it " + FactPaths.BRIDGE_NF_CALL_IPTABLES + " does not exist: iptables never"
      + " sees traffic bridged between containers on docker0, so container-to-container filtering (--icc=false,"
      + " DOCKER-ISOLATION) and published ports reached from another container break, and 'docker info' warns"
      + " \"WARNING: bridge-nf-call-iptables is disabled\"";

  @Override
  public String id() {
    return "kernel.bridge_netfilter";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.KERNEL;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    FileFact dir = facts.file(FactPaths.BRIDGE_SYSCTL_DIR);
    Optional<KernelConfig> config = facts.parsedKernelConfig();
    if (config.isPresent()) {
      KernelConfig c = config.get();
      String ev = c.evidence("BRIDGE_NETFILTER");
      return switch (c.state("BRIDGE_NETFILTER")) {
        case NOT_SET -> result(CheckStatus.MISSING, List.of(ev, dir.evidence()), WHY,
            "use a kernel built with CONFIG_BRIDGE_NETFILTER=y (or =m and modprobe br_netfilter)");
        case MODULE -> dir.present()
            ? result(CheckStatus.OK, List.of(ev, dir.evidence()), WHY, "")
            : result(CheckStatus.MISSING, List.of(ev + " but the module is not loaded", dir.evidence()), WHY,
                "modprobe br_netfilter");
        case BUILTIN -> result(CheckStatus.OK, List.of(ev), WHY, "");
      };
    }
    if (dir.present()) {
      return result(CheckStatus.OK, List.of(dir.evidence()), WHY, "");
    }
    return result(CheckStatus.UNKNOWN, List.of(facts.kernelConfig().evidence(), dir.evidence()), WHY,
        "modprobe br_netfilter");
  }
}
