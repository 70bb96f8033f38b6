package dev.layertrace.verdict;

import dev.layertrace.model.LayerKind;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a kernel drop reason ({@code enum skb_drop_reason}) says about where and why a packet died.
 * Decisive reasons name the layer by themselves; weak ones (no route, neighbour failure) are often a
 * consequence of something a static finding explains better (a NIC that is down loses its routes).
 * Noise is what a healthy path also produces (purged queues, TCP's own RSTs, frames for other hosts).
 */
final class DropReasons {
  /** Where a reason points: the kind of layer and the cause code; {@code EGRESS} means "the outgoing device". */
  record Meaning(LayerKind kind, boolean egress, String cause, String what) {}

  private static final Map<String, Meaning> DECISIVE = Map.of(
      "IP_INADDRERRORS", new Meaning(LayerKind.FORWARDING, false, "forwarding-disabled",
          "the kernel refused to forward it (ip_forward off, or an address it will not route)"),
      "NETFILTER_DROP", new Meaning(LayerKind.FILTER, false, "filtered", "a netfilter rule or chain policy dropped it"),
      "PKT_TOO_BIG", new Meaning(null, true, "mtu-exceeded",
          "it is larger than the outgoing link's MTU and carries DF"),
      "NO_TX_TARGET", new Meaning(LayerKind.BRIDGE, false, "not-bridged",
          "the bridge had no port to send it to"),
      "BRIDGE_INGRESS_STP_STATE", new Meaning(LayerKind.BRIDGE, false, "link-down",
          "the bridge port is not forwarding (the bridge is down)"),
      "IP_RPFILTER", new Meaning(LayerKind.FILTER, false, "rp-filter",
          "reverse-path filtering rejected its source address"),
      "TAP_FILTER", new Meaning(LayerKind.TAP, false, "filtered", "the tap's filter dropped it"),
      "TAP_TXFILTER", new Meaning(LayerKind.TAP, false, "filtered", "the tap's transmit filter dropped it"));

  private static final Map<String, Meaning> WEAK = Map.of(
      "IP_INNOROUTES", new Meaning(LayerKind.FORWARDING, false, "no-route", "no route matched its destination"),
      "IP_OUTNOROUTES", new Meaning(LayerKind.FORWARDING, false, "no-route", "no route matched its destination"),
      "NEIGH_FAILED", new Meaning(null, true, "neighbor-unresolved", "its next hop never answered ARP"),
      "NEIGH_QUEUEFULL", new Meaning(null, true, "neighbor-unresolved", "too many packets waited for the next hop's ARP"),
      "NEIGH_DEAD", new Meaning(null, true, "neighbor-unresolved", "its next hop's neighbour entry died"));

  /** Seen on healthy paths too, or about other packets: never evidence of this probe's fate. */
  private static final Set<String> NOISE = Set.of("QUEUE_PURGE", "OTHERHOST", "NO_SOCKET", "SOCKET_FILTER",
      "SOCKET_CLOSE", "SOCKET_RCVBUFF", "TCP_CLOSE", "TCP_RESET", "TCP_INVALID_SYN", "NOT_SPECIFIED",
      "UNHANDLED_PROTO", "IPV6DISABLED");

  private DropReasons() {}

  static Optional<Meaning> decisive(String reason) {
    return Optional.ofNullable(DECISIVE.get(reason));
  }

  static Optional<Meaning> weak(String reason) {
    return Optional.ofNullable(WEAK.get(reason));
  }

  static boolean noise(String reason) {
    return reason == null || NOISE.contains(reason);
  }
}
