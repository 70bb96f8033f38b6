package dev.layertrace.netfilter;

import java.util.List;

/**
 * One rule of a chain.
 *
 * @param handle the nft rule handle, or the rule's 1-based position for iptables-legacy
 * @param expressions what the rule matches and does, in order
 * @param comment the rule's comment, or empty
 * @param text the rule in {@code nft list} syntax
 * @param iptablesText the rule as {@code iptables-save} prints it ({@code -A FORWARD -i docker0 ...})
 *     for iptables-legacy rules and for iptables-nft rules when that output was read; else empty
 */
public record Rule(Family family, String table, String chain, long handle, List<Expression> expressions,
    String comment, String text, String iptablesText) {

  public Rule {
    expressions = List.copyOf(expressions);
  }

  /** The text evidence should quote: the iptables form when known (what the user wrote), else nft's. */
  public String evidence() {
    return iptablesText.isEmpty() ? text : iptablesText;
  }
}
