package dev.layertrace.netfilter;

import java.util.List;

/**
 * A chain. A base chain has a {@code hook}, {@code type}, {@code priority} and {@code policy}; a
 * regular chain (a jump target such as DOCKER-USER) has none ({@code hook} and {@code policy} null,
 * {@code type} empty, {@code priority} 0).
 */
public record Chain(Family family, String table, String name, String type, Hook hook, int priority,
    PacketVerdict policy, List<Rule> rules) {

  public Chain {
    rules = List.copyOf(rules);
  }

  public boolean isBase() {
    return hook != null;
  }

  /** True when the chain can change a packet's fate: it has rules or a policy other than accept. */
  public boolean hasEffect() {
    return !rules.isEmpty() || (policy != null && policy != PacketVerdict.ACCEPT);
  }
}
