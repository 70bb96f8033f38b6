package dev.layertrace.netfilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lines up the rules of iptables-nft tables in {@code nft -j} with {@code iptables-nft-save}'s rules
 * (same table, chain and position): the iptables text becomes the rule's evidence, and where nft shows
 * an opaque {@code xt} extension the iptables options (which the model understands) replace it.
 */
final class IptablesNftMerger {
  private IptablesNftMerger() {}

  static List<Table> merge(List<Table> nft, List<Table> companion, List<String> notes) {
    List<Table> out = new ArrayList<>();
    for (Table t : nft) {
      Optional<Table> twin = t.backend() == Backend.IPTABLES_NFT && t.family() == Family.IP
          ? companion.stream().filter(c -> c.name().equals(t.name())).findFirst() : Optional.empty();
      if (twin.isEmpty()) {
        out.add(t);
        continue;
      }
      List<Chain> chains = new ArrayList<>();
      for (Chain c : t.chains()) {
        Optional<Chain> other = twin.get().chain(c.name());
        if (other.isEmpty() || other.get().rules().size() != c.rules().size()) {
          if (!c.rules().isEmpty()) {
            notes.add("iptables-nft-save does not match nft for " + t.label() + " chain " + c.name()
                + ": its rules are shown as nft prints them");
          }
          chains.add(c);
          continue;
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < c.rules().size(); i++) {
          Rule mine = c.rules().get(i);
          Rule theirs = other.get().rules().get(i);
          boolean opaque = mine.expressions().stream()
              .anyMatch(e -> e instanceof Expression.Xt || e instanceof Expression.Unsupported);
          List<Expression> exprs = opaque ? theirs.expressions() : mine.expressions();
          String text = opaque ? theirs.text() : mine.text();
          rules.add(new Rule(mine.family(), mine.table(), mine.chain(), mine.handle(), exprs,
              mine.comment().isEmpty() ? theirs.comment() : mine.comment(), text, theirs.iptablesText()));
        }
        chains.add(new Chain(c.family(), c.table(), c.name(), c.type(), c.hook(), c.priority(), c.policy(), rules));
      }
      out.add(new Table(t.family(), t.name(), t.backend(), chains));
    }
    return out;
  }
}
