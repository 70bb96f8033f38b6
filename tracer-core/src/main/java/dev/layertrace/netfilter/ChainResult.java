package dev.layertrace.netfilter;

import java.util.List;

/**
 * What one base chain (and the chains it jumped to) did with the packet.
 *
 * @param chain the base chain
 * @param verdict accept, drop or reject
 * @param rule the deciding rule, or null when the base chain's policy decided (or the chain was skipped)
 * @param jumps the jump/goto rules followed on the way, in order
 * @param unknownRules rules whose match could not be evaluated; the verdict assumes they did not match
 * @param rewrite the NAT translation this chain made, or null
 * @param note why the chain was skipped or what was odd, or empty
 */
public record ChainResult(ChainRef chain, PacketVerdict verdict, Rule rule, List<Rule> jumps,
    List<Rule> unknownRules, NatRewrite rewrite, String note) {

  public ChainResult {
    jumps = List.copyOf(jumps);
    unknownRules = List.copyOf(unknownRules);
  }

  /** True when the policy decided. */
  public boolean byPolicy() {
    return rule == null;
  }

  /** True when no rule on the way was unknown. */
  public boolean certain() {
    return unknownRules.isEmpty();
  }

  /**
   * Evidence in one line: {@code ip filter FORWARD (iptables-nft): accept by rule -A FORWARD -i docker0
   * ! -o docker0 -j ACCEPT} or {@code inet filter forward (nftables): drop by policy drop}.
   */
  public String describe() {
    String how = rule == null
        ? (note.isEmpty() ? "by policy " + verdict.word() : note)
        : "by rule " + rule.evidence() + (rule.chain().equals(chain.chain()) ? "" : " (in chain " + rule.chain() + ")");
    return chain + ": " + verdict.word() + " " + how;
  }
}
