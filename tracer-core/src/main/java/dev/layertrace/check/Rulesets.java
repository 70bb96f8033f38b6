package dev.layertrace.check;

import dev.layertrace.LayertraceException;
import dev.layertrace.model.Protocol;
import dev.layertrace.netfilter.Evaluation;
import dev.layertrace.netfilter.Flow;
import dev.layertrace.netfilter.NetfilterDump;
import dev.layertrace.netfilter.NetfilterEvaluator;
import dev.layertrace.netfilter.NetfilterModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The namespace's netfilter model built from the snapshot's tool runs, and the evaluation of a
 * Docker-style forwarded packet (container on docker0 to the outside) through it.
 *
 * @param model empty when the rulesets could not be read; {@code problem} then says why
 */
record Rulesets(Optional<NetfilterModel> model, String problem) {
  /**
   * A TEST-NET-1 address standing for "somewhere outside"; it is only evaluated, never sent. Not the
   * lab's TEST-NET-2/3 ranges: rules that guard those ranges (a lab, CI's leak guard) say nothing
   * about a container's ordinary egress.
   */
  static final String OUTSIDE = "192.0.2.10";

  /** The snapshot's model, built once per snapshot. */
  static Rulesets of(SystemFacts facts) {
    return facts.rulesets();
  }

  static Rulesets build(SystemFacts facts) {
    Optional<CommandFact> nft = facts.command(FactPaths.CMD_NFT_RULESET);
    if (nft.isEmpty() || !nft.get().ok()) {
      return new Rulesets(Optional.empty(), nft.map(CommandFact::evidence).orElse("nft -j list ruleset not run")
          + (nft.map(c -> c.stderr().contains("Operation not permitted")).orElse(false)
              ? " (reading rulesets needs CAP_NET_ADMIN)" : ""));
    }
    Optional<CommandFact> legacy = facts.command(FactPaths.CMD_IPTABLES_LEGACY_SAVE);
    if (legacy.isPresent() && legacy.get().ran() && !legacy.get().ok()) {
      return new Rulesets(Optional.empty(), legacy.get().evidence());
    }
    String nftSave = facts.command(FactPaths.CMD_IPTABLES_NFT_SAVE).filter(CommandFact::ok)
        .map(CommandFact::stdout).orElse("");
    try {
      return new Rulesets(Optional.of(new NetfilterDump(nft.get().stdout(), nftSave,
          legacy.filter(CommandFact::ok).map(CommandFact::stdout).orElse("")).parse()), "");
    } catch (LayertraceException e) {
      return new Rulesets(Optional.empty(), e.getMessage());
    }
  }

  /** The first packet of a container's new connection to the outside, as this namespace forwards it. */
  static Flow dockerFlow(SystemFacts facts) {
    String source = NetDevices.connectedNetwork(facts, "docker0")
        .map(net -> net.substring(0, net.lastIndexOf('.')) + ".2").orElse("172.17.0.2");
    String out = NetDevices.defaultRouteInterface(facts).orElse("eth0");
    return Flow.forwarded(source, OUTSIDE, Protocol.ICMP, 0, "docker0", out);
  }

  Optional<Evaluation> evaluateDockerFlow(SystemFacts facts) {
    return model.map(m -> NetfilterEvaluator.evaluate(m, dockerFlow(facts), Map.of()));
  }

  /** {@code "172.17.0.2 → 192.0.2.10 in docker0 out eth0"}. */
  static String describe(Flow f) {
    return f.protocol().word() + " " + f.source() + " → " + f.destination() + " in " + f.inInterface() + " out "
        + f.outInterface();
  }

  List<String> problemEvidence() {
    return List.of(problem);
  }
}
