package dev.layertrace.discover;

import dev.layertrace.model.Finding;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.LayerRef;
import dev.layertrace.model.Severity;
import dev.layertrace.netfilter.Backend;
import dev.layertrace.netfilter.ChainResult;
import dev.layertrace.netfilter.Evaluation;
import dev.layertrace.netfilter.Flow;
import dev.layertrace.netfilter.Hook;
import dev.layertrace.netfilter.HookResult;
import dev.layertrace.netfilter.NatRewrite;
import dev.layertrace.netfilter.NetfilterEvaluator;
import dev.layertrace.netfilter.NetfilterModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Fills the filter and nat layers of a forwarding namespace from its rulesets: which chain and rule
 * decide the flow at FORWARD, which NAT applies at POSTROUTING, and the findings that follow
 * ({@code filtered}, {@code not-translated}, split brain as evidence).
 *
 * <p>One instance serves one path resolution: it remembers sources it already reported as
 * untranslated, so a downstream namespace that merely inherits the untranslated source is not
 * blamed as well.
 */
public final class RulesetHook implements NetfilterHook {
  private final Function<String, NetfilterModel> rulesets;
  private final java.util.function.Consumer<String> prefetch;
  private final Set<String> reportedUntranslated = new HashSet<>();

  /** @param rulesets the netfilter model of a namespace by name (read by the caller, e.g. from sys) */
  public RulesetHook(Function<String, NetfilterModel> rulesets) {
    this(rulesets, netns -> {});
  }

  /**
   * @param rulesets the netfilter model of a namespace by name
   * @param prefetch starts reading a namespace's model in the background (see {@link #approaching}), so
   *     that {@code rulesets} finds it read or being read
   */
  public RulesetHook(Function<String, NetfilterModel> rulesets, java.util.function.Consumer<String> prefetch) {
    this.rulesets = rulesets;
    this.prefetch = prefetch;
  }

  @Override
  public void approaching(String netns) {
    prefetch.accept(netns);
  }

  @Override
  public Decision forward(ForwardedFlow f) {
    NetfilterModel model = rulesets.apply(f.netns());
    Flow flow = Flow.forwarded(f.source(), f.destination(), f.protocol(), f.port(), f.iif(), f.oif());
    Map<String, List<String>> addresses = f.egressAddress() == null ? Map.of() : Map.of(f.oif(), List.of(f.egressAddress()));
    Evaluation ev = NetfilterEvaluator.evaluate(model, flow, addresses);

    Map<String, String> filter = new LinkedHashMap<>();
    Map<String, String> nat = new LinkedHashMap<>();
    List<Finding> findings = new ArrayList<>();
    filter.put("backends", backends(model));
    Optional<HookResult> forward = ev.hook(Hook.FORWARD);
    forward.flatMap(HookResult::decidedBy).ifPresentOrElse(
        c -> filter.put("forward", c.describe()),
        () -> filter.put("forward", forward.isPresent() ? "no base chain: accept" : "not reached"));
    if (ev.splitBrain().present()) {
      filter.put("split-brain", String.join("; ", ev.splitBrain().tablesInUse()));
    }
    if (!ev.certain()) {
      filter.put("uncertain", "some rules use matches layertrace cannot evaluate statically");
    }

    Optional<HookResult> stopped = ev.stoppedAt();
    if (stopped.isPresent()) {
      HookResult h = stopped.get();
      ChainResult c = h.decidedBy().orElseThrow();
      List<String> evidence = new ArrayList<>();
      evidence.add("rule " + f.netns() + " " + c.describe());
      ev.splitBrain().deciding().getOrDefault(h.hook(), List.of()).forEach(d -> evidence.add("split brain: " + d));
      if (ev.splitBrain().bothBackends()) {
        evidence.add("both iptables-legacy and nf_tables hold rules in " + f.netns());
      }
      String message = h.hook().name() + " in " + f.netns() + " drops " + f.source() + " → " + f.destination()
          + " (in " + f.iif() + ", out " + f.oif() + "): " + c.describe()
          + (ev.splitBrain().competingChains().containsKey(h.hook())
              ? "; several rulesets compete at this hook and this one decides" : "");
      findings.add(new Finding(new LayerRef(LayerKind.FILTER, f.netns(), null), "filtered",
          ev.certain() ? Severity.ERROR : Severity.WARNING, message, acceptFix(f, c), evidence));
      nat.put("postrouting", "not reached (dropped at " + h.hook().name().toLowerCase(java.util.Locale.ROOT) + ")");
      return new Decision(filter, nat, null, findings);
    }

    Optional<NatRewrite> snat = ev.sourceNat();
    if (snat.isPresent() && !snat.get().to().isEmpty()) {
      nat.put("postrouting", snat.get().describe());
      return new Decision(filter, nat, snat.get().to(), findings);
    }
    nat.put("postrouting", "no rule translates the source " + f.source());
    boolean ownAddress = f.source().equals(f.egressAddress());
    if (!ownAddress && reportedUntranslated.add(f.source())) {
      // Leaving with a source the next hop may have no route back to: the classic missing MASQUERADE.
      findings.add(new Finding(new LayerRef(LayerKind.NAT, f.netns(), null), "not-translated", Severity.WARNING,
          "POSTROUTING in " + f.netns() + " does not translate " + f.source() + " leaving " + f.oif()
              + (f.egressAddress() == null ? "" : " (whose address is " + f.egressAddress() + ")")
              + ": replies come back only if the next hops route " + f.source() + " back",
          masqueradeFix(f, model),
          List.of("rules " + f.netns() + ": no SNAT/MASQUERADE matches " + f.source() + " out " + f.oif())));
    }
    return new Decision(filter, nat, null, findings);
  }

  private static String backends(NetfilterModel model) {
    Set<Backend> in = model.backendsInUse();
    return in.isEmpty() ? "none" : String.join(", ", in.stream().map(Backend::word).sorted().toList());
  }

  private static String acceptFix(ForwardedFlow f, ChainResult c) {
    var ref = c.chain();
    if (ref.backend() == Backend.NFTABLES) {
      return "ip netns exec " + f.netns() + " nft insert rule " + ref.family().word() + " " + ref.table() + " "
          + ref.chain() + " iifname \"" + f.iif() + "\" oifname \"" + f.oif() + "\" accept";
    }
    String tool = ref.backend() == Backend.IPTABLES_LEGACY ? "iptables-legacy" : "iptables";
    return "ip netns exec " + f.netns() + " " + tool + " -t " + ref.table() + " -I " + ref.chain() + " -i " + f.iif()
        + " -o " + f.oif() + " -j ACCEPT";
  }

  private static String masqueradeFix(ForwardedFlow f, NetfilterModel model) {
    boolean nftOnly = model.backendsInUse().equals(Set.of(Backend.NFTABLES));
    if (nftOnly) {
      return model.baseChainsAt(Hook.POSTROUTING).stream()
          .filter(r -> "nat".equals(r.type()))
          .findFirst()
          .map(r -> "ip netns exec " + f.netns() + " nft add rule " + r.family().word() + " " + r.table() + " "
              + r.chain() + " ip saddr " + f.source() + " oifname \"" + f.oif() + "\" masquerade")
          .orElse("ip netns exec " + f.netns() + " iptables -t nat -A POSTROUTING -s " + f.source() + " -o "
              + f.oif() + " -j MASQUERADE");
    }
    return "ip netns exec " + f.netns() + " iptables -t nat -A POSTROUTING -s " + f.source() + " ! -o " + f.iif()
        + " -j MASQUERADE";
  }
}
