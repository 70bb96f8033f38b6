package dev.layertrace.netfilter;

/**
 * The raw output of the tools in one namespace, as read or as recorded in a fixture.
 *
 * @param nftJson {@code nft -j list ruleset}
 * @param iptablesNftSave {@code iptables-nft-save} (empty when not read): restores the options of
 *     iptables extensions ({@code -m conntrack --ctstate}, {@code -j DNAT --to-destination}) that
 *     {@code nft -j} only shows as {@code xt} expressions
 * @param iptablesLegacySave {@code iptables-legacy-save} (empty when no legacy table is loaded)
 */
public record NetfilterDump(String nftJson, String iptablesNftSave, String iptablesLegacySave) {

  /** Parses all three into one model. */
  public NetfilterModel parse() {
    return NetfilterModel.parse(this);
  }
}
