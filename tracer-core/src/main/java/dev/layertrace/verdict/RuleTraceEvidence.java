package dev.layertrace.verdict;

import dev.layertrace.model.Outcome;
import dev.layertrace.model.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Adds what {@code --rule-trace} saw to the verdicts of a trace: a probe that did not arrive cites
 * every rule or policy that dropped it; a probe a filter stopped also cites the chains of that
 * namespace that accepted it (two tables on one hook: one accepts, the other drops), and the
 * notes on what tracing could not see there (iptables-legacy). The traced drop's fix replaces the
 * engine's only when there is none or it uses the other tool (an iptables command for a native nft drop).
 */
public final class RuleTraceEvidence {
  private RuleTraceEvidence() {}

  /**
   * @param decisions from {@link NftTraceReader#decisions}, over all traced namespaces
   * @param blind per-namespace lines {@code "rule-trace NS: …"} on what could not be traced
   */
  public static List<Verdict> apply(List<Verdict> verdicts, List<RuleDecision> decisions, List<String> blind) {
    List<Verdict> out = new ArrayList<>();
    for (Verdict v : verdicts) {
      if (v.outcome() == Outcome.REACHED) {
        out.add(v);
        continue;
      }
      String ns = v.layer() == null ? null : v.layer().netns();
      boolean filtered = "filtered".equals(v.cause());
      List<String> ev = new ArrayList<>(v.evidence());
      String fix = v.fix();
      for (RuleDecision d : decisions) {
        boolean here = Objects.equals(d.layer().netns(), ns);
        if (d.stops() || filtered && here) {
          ev.add(d.cite());
        }
        if (d.stops() && here && filtered && d.fix() != null && (fix == null || wrongTool(fix, d))) {
          fix = d.fix();
        }
      }
      if (filtered) {
        blind.stream().filter(b -> ns != null && b.startsWith("rule-trace " + ns + ":")).forEach(ev::add);
      }
      out.add(new Verdict(v.probeId(), v.outcome(), v.layer(), v.cause(), v.explanation(), ev, fix));
    }
    return out;
  }

  private static boolean wrongTool(String fix, RuleDecision d) {
    boolean iptablesFix = fix.contains("iptables ");
    boolean iptablesRule = d.rule().contains("(iptables-nft)");
    return iptablesFix != iptablesRule;
  }
}
