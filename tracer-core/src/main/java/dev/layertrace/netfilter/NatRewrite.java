package dev.layertrace.netfilter;

/**
 * A NAT translation the evaluator expects.
 *
 * @param kind masquerade, snat, dnat or redirect
 * @param from the address before ({@code 172.17.0.2})
 * @param to the address after ({@code 172.16.0.2}); empty when it depends on an interface address that
 *     was not given
 * @param port the new port or port range, or empty
 * @param chain where the rule is
 * @param rule the translating rule
 */
public record NatRewrite(Expression.NatKind kind, String from, String to, String port, ChainRef chain,
    Rule rule) {

  /** True for masquerade and snat. */
  public boolean source() {
    return kind.source();
  }

  /** {@code source 172.17.0.2 -> 172.16.0.2 (masquerade, ip nat POSTROUTING (iptables-nft))}. */
  public String describe() {
    return (source() ? "source " : "destination ") + from + " -> " + (to.isEmpty() ? "?" : to)
        + (port.isEmpty() ? "" : ":" + port) + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + ", "
        + chain + ")";
  }
}
