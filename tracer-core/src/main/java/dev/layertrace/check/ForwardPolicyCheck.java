package dev.layertrace.check;

import dev.layertrace.netfilter.ChainResult;
import dev.layertrace.netfilter.Evaluation;
import dev.layertrace.netfilter.Hook;
import dev.layertrace.netfilter.HookResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The FORWARD hook for a container's packet to the outside: every base chain at the hook (both
 * backends), their policies, and whether one drops the packet.
 */
public final class ForwardPolicyCheck implements Check {

  @Override
  public String id() {
    return "netfilter.forward";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.NETFILTER;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    String why = "a forwarded container packet is dropped by the FORWARD hook before it reaches the uplink"
        + " (kfree_skb reason NETFILTER_DROP)";
    Rulesets rulesets = Rulesets.of(facts);
    Optional<Evaluation> evaluation = rulesets.evaluateDockerFlow(facts);
    if (evaluation.isEmpty()) {
      return result(CheckStatus.UNKNOWN, rulesets.problemEvidence(), why, "run as root");
    }
    List<String> evidence = new ArrayList<>();
    evidence.add("evaluated " + Rulesets.describe(evaluation.get().flow()));
    Optional<HookResult> forward = evaluation.get().hook(Hook.FORWARD);
    if (forward.isEmpty() || forward.get().chains().isEmpty()) {
      evidence.add("no base chain at the forward hook: everything is forwarded");
      return result(CheckStatus.OK, evidence, why, "");
    }
    forward.get().chains().forEach(c -> evidence.add(c.describe()));
    Optional<ChainResult> decider = forward.get().decidedBy();
    if (forward.get().verdict().stops() && decider.isPresent()) {
      ChainResult d = decider.get();
      String fix = d.byPolicy()
          ? "accept the container traffic in " + d.chain() + " (for Docker: iptables -I DOCKER-USER -i docker0 -j"
              + " ACCEPT if that chain is Docker's, else add the accept rule to that chain) or set its policy to accept"
          : "delete or narrow the rule " + d.rule().evidence() + " in " + d.chain();
      return result(CheckStatus.WRONG, evidence, why, fix);
    }
    return result(CheckStatus.OK, evidence, why, "");
  }
}
