package dev.layertrace.netfilter;

/** Which tool family owns a table. */
public enum Backend {
  /** A native nftables table (written with {@code nft}). */
  NFTABLES("nftables"),
  /** An nf_tables table written by {@code iptables-nft} (ip filter/nat/mangle/raw with built-in chains). */
  IPTABLES_NFT("iptables-nft"),
  /** An x_tables table of {@code iptables-legacy}, invisible to {@code nft}. */
  IPTABLES_LEGACY("iptables-legacy");

  private final String word;

  Backend(String word) {
    this.word = word;
  }

  /** How evidence names it: {@code nftables}, {@code iptables-nft}, {@code iptables-legacy}. */
  public String word() {
    return word;
  }
}
