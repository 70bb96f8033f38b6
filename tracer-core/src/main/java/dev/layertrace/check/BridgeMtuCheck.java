package dev.layertrace.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * docker0's MTU against the uplink's: a bridge MTU larger than the uplink's (1500 in the container,
 * 1450 on a tunnelled microVM NIC) makes large packets vanish when PMTU discovery is blocked.
 */
public final class BridgeMtuCheck implements Check {

  @Override
  public String id() {
    return "docker.bridge_mtu";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.DOCKER;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    String why = "containers send packets larger than the uplink carries: small requests work, large"
        + " transfers (TLS handshakes, git clone) hang";
    String fix = "set \"mtu\" in /etc/docker/daemon.json to the uplink's MTU and restart dockerd";
    if (!NetDevices.names(facts).contains("docker0")) {
      return result(CheckStatus.OK, List.of(FactPaths.NET_DEV + " has no docker0 (nothing to compare)"), why, fix);
    }
    Optional<String> uplink = NetDevices.defaultRouteInterface(facts);
    if (uplink.isEmpty()) {
      return result(CheckStatus.UNKNOWN, List.of(FactPaths.NET_ROUTE + " has no default route"), why, fix);
    }
    Optional<CommandFact> link = facts.command(FactPaths.CMD_IP_LINK).filter(CommandFact::ok);
    if (link.isEmpty()) {
      return result(CheckStatus.UNKNOWN, List.of(facts.command(FactPaths.CMD_IP_LINK).map(CommandFact::evidence)
          .orElse(FactPaths.CMD_IP_LINK + " not run")), why, fix);
    }
    Map<String, Integer> mtus = NetDevices.mtus(link.get().stdout());
    Integer bridge = mtus.get("docker0");
    Integer up = mtus.get(uplink.get());
    if (bridge == null || up == null) {
      return result(CheckStatus.UNKNOWN, List.of("ip -o link show lacks docker0 or " + uplink.get()), why, fix);
    }
    String ev = "docker0 mtu " + bridge + ", uplink " + uplink.get() + " mtu " + up;
    return result(bridge > up ? CheckStatus.WRONG : CheckStatus.OK, List.of(ev), why, fix);
  }
}
