package dev.layertrace.verdict;

import dev.layertrace.model.Direction;

/**
 * A {@code skb:kfree_skb} event of the trace's time window, placed by the device the freed skb was
 * last seen on ({@code net:net_dev_queue} / {@code net:netif_receive_skb} with the same skbaddr).
 *
 * @param layerId the path layer of that device, or null when it could not be placed
 * @param netns the namespace of that device, or null
 * @param device the device name from the binding event, or null
 * @param subject what the freed skb was: the probe (or its reply), an ARP message of the path, or unknown
 * @param direction for a probe skb, whether it was the request or the reply; null when unknown
 * @param timeNs nanoseconds since injection (negative: before it)
 */
public record DropEvent(String layerId, String netns, String device, String location, String reason,
    Subject subject, Direction direction, long timeNs) {

  /** What kind of packet was freed. */
  public enum Subject { PROBE, ARP, UNBOUND }

  /** {@code kernel lt-guest: kfree_skb at ip_error: IP_INADDRERRORS}: how a verdict cites it. */
  public String cite() {
    String where = netns == null ? "" : " " + netns;
    String what = subject == Subject.ARP ? " (an ARP message" + (device == null ? "" : " on " + device) + ")"
        : device == null ? "" : " (skb last seen on " + device + ")";
    return "kernel" + where + ": kfree_skb at " + location + ": " + reason + what;
  }
}
