package dev.layertrace.netfilter;

import java.util.List;
import java.util.Optional;

/** A table and which backend owns it. */
public record Table(Family family, String name, Backend backend, List<Chain> chains) {

  public Table {
    chains = List.copyOf(chains);
  }

  public Optional<Chain> chain(String chainName) {
    return chains.stream().filter(c -> c.name().equals(chainName)).findFirst();
  }

  /** True when some chain has rules or a non-accept policy. */
  public boolean hasEffect() {
    return chains.stream().anyMatch(Chain::hasEffect);
  }

  /** {@code ip filter (iptables-nft)}. */
  public String label() {
    return family.word() + " " + name + " (" + backend.word() + ")";
  }
}
