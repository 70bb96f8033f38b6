package dev.layertrace.check;

import dev.layertrace.netfilter.Backend;
import dev.layertrace.netfilter.ChainRef;
import dev.layertrace.netfilter.Evaluation;
import dev.layertrace.netfilter.Hook;
import dev.layertrace.netfilter.SplitBrain;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Split brain: rules in both iptables-legacy and nf_tables in one namespace, or a native nft table's
 * base chain beside iptables-nft's at the same hook. Each backend's rules run; a drop in any base chain
 * at a hook decides, and lower priority runs first, so an accept in Docker's chain does not save a
 * packet a native {@code inet filter forward} chain drops.
 */
public final class SplitBrainCheck implements Check {

  @Override
  public String id() {
    return "netfilter.split_brain";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.NETFILTER;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    String why = "two rulesets judge the same packet and each one's drop is final: Docker's accept rules in one"
        + " backend do not help when a chain of the other drops, and 'iptables -L' shows only half of it";
    Rulesets rulesets = Rulesets.of(facts);
    Optional<Evaluation> evaluation = rulesets.evaluateDockerFlow(facts);
    if (evaluation.isEmpty()) {
      return result(CheckStatus.UNKNOWN, rulesets.problemEvidence(), why, "run as root");
    }
    SplitBrain sb = evaluation.get().splitBrain();
    List<String> evidence = new ArrayList<>();
    evidence.add("tables with rules: " + (sb.tablesInUse().isEmpty() ? "none" : String.join(", ", sb.tablesInUse())));
    List<Hook> acrossBackends = new ArrayList<>();
    for (Map.Entry<Hook, List<ChainRef>> e : sb.competingChains().entrySet()) {
      Set<Backend> backends = e.getValue().stream().map(ChainRef::backend).collect(Collectors.toSet());
      // Tables of one backend cooperating (iptables-nft raw + nat) are normal; two backends are not.
      if (backends.size() > 1) {
        acrossBackends.add(e.getKey());
      }
    }
    if (!sb.bothBackends() && acrossBackends.isEmpty()) {
      evidence.add("one backend holds the rules: " + (sb.backendsInUse().isEmpty() ? "none"
          : sb.backendsInUse().stream().map(Backend::word).sorted().collect(Collectors.joining(", "))));
      return result(CheckStatus.OK, evidence, why, "");
    }
    Set<Backend> named = sb.backendsInUse().isEmpty() ? EnumSet.noneOf(Backend.class) : EnumSet.copyOf(sb.backendsInUse());
    evidence.add(0, "split brain between " + named.stream().map(Backend::word).collect(Collectors.joining(" and ")));
    evidence.add("evaluated " + Rulesets.describe(evaluation.get().flow()));
    String decidingChain = "";
    for (Hook h : acrossBackends) {
      List<String> lines = sb.deciding().getOrDefault(h, List.of());
      for (String line : lines) {
        evidence.add(h.word() + ": " + line);
        if (line.startsWith("decides: ") && decidingChain.isEmpty()) {
          decidingChain = line.substring("decides: ".length());
        }
      }
    }
    if (!decidingChain.isEmpty()) {
      evidence.add(1, "deciding chain: " + decidingChain);
    }
    String fix = "keep all rules in one backend: put your own forward rules into Docker's DOCKER-USER chain"
        + " (iptables -I DOCKER-USER ...) and delete the competing table (e.g. nft delete table inet filter),"
        + " or flush the iptables-legacy rules (iptables-legacy -F; iptables-legacy -t nat -F)";
    return result(CheckStatus.WRONG, evidence, why, fix);
  }
}
