package dev.layertrace.netfilter;

/** Names a chain for evidence: {@code ip filter FORWARD (iptables-nft)}. */
public record ChainRef(Backend backend, Family family, String table, String chain, String type, int priority) {

  static ChainRef of(Table t, Chain c) {
    return new ChainRef(t.backend(), t.family(), t.name(), c.name(), c.type(), c.priority());
  }

  @Override
  public String toString() {
    return family.word() + " " + table + " " + chain + " (" + backend.word() + ")";
  }
}
