package dev.layertrace.check;

import dev.layertrace.netfilter.Backend;
import dev.layertrace.netfilter.NetfilterModel;
import dev.layertrace.netfilter.Table;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where Docker's chains (DOCKER, DOCKER-USER, DOCKER-FORWARD) live, against the backend the
 * {@code iptables} binary now uses: rules written through the other backend are invisible to
 * {@code iptables -L} and survive a dockerd restart as a second ruleset.
 */
public final class DockerChainsCheck implements Check {
  private static final Set<String> DOCKER_CHAINS = Set.of("DOCKER", "DOCKER-USER", "DOCKER-FORWARD");

  @Override
  public String id() {
    return "netfilter.docker_chains";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.NETFILTER;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    String why = "Docker's rules sit in the backend the iptables command does not show: 'iptables -L' looks"
        + " empty, and a restarted dockerd writes a second copy into the other backend";
    Rulesets rulesets = Rulesets.of(facts);
    if (rulesets.model().isEmpty()) {
      return result(CheckStatus.UNKNOWN, rulesets.problemEvidence(), why, "run as root");
    }
    NetfilterModel model = rulesets.model().get();
    Set<Backend> holders = new LinkedHashSet<>();
    List<String> evidence = new ArrayList<>();
    for (Table t : model.tables()) {
      List<String> found = t.chains().stream().map(c -> c.name()).filter(DOCKER_CHAINS::contains).toList();
      if (!found.isEmpty()) {
        holders.add(t.backend());
        evidence.add(t.label() + " has " + String.join(", ", found));
      }
    }
    if (holders.isEmpty()) {
      return result(CheckStatus.OK, List.of("no Docker chains in this namespace"), why, "");
    }
    Optional<IptablesVersion> iptables = IptablesVersion.of(facts);
    iptables.ifPresent(v -> evidence.add("iptables uses " + v.backend()));
    Backend expected = iptables.map(v -> v.nfTables() ? Backend.IPTABLES_NFT : Backend.IPTABLES_LEGACY).orElse(null);
    boolean elsewhere = expected != null && holders.stream().anyMatch(b -> b != expected);
    String fix = "stop dockerd, flush the stale copy (iptables-" + (expected == Backend.IPTABLES_NFT ? "legacy" : "nft")
        + "-save shows it; iptables-" + (expected == Backend.IPTABLES_NFT ? "legacy" : "nft") + " -F; -X; -t nat -F;"
        + " -t nat -X) and start dockerd again";
    return result(elsewhere ? CheckStatus.WRONG : CheckStatus.OK, evidence, why, fix);
  }
}
