package dev.layertrace.verdict;

/**
 * An ARP message seen by an observer during a trace: for several faults the probe never leaves
 * because its next hop never answers, and only this shows it.
 *
 * @param request true for "who-has", false for "is-at"
 * @param outgoing true when it left through the interface
 */
public record ArpSighting(String layerId, boolean request, String senderIp, String targetIp, boolean outgoing,
    long timeNs) {

  /** {@code who-has 172.16.0.9 tell 172.16.0.2} or {@code 172.16.0.1 is-at}. */
  public String describe() {
    return request ? "who-has " + targetIp + " tell " + senderIp : senderIp + " is-at (reply to " + targetIp + ")";
  }
}
