package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A packet's headers as one observer saw them: addresses and ports after any NAT so far, TTL, length
 * and MACs, so rewrites and TTL decrements show hop by hop. ARP frames use {@code protocol = "arp"}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeenPacket(
    String protocol,
    String src,
    String dst,
    Integer srcPort,
    Integer dstPort,
    Integer ttl,
    Integer length,
    String srcMac,
    String dstMac,
    Integer icmpType,
    Integer icmpId,
    Integer icmpSeq) {

  /** {@code 172.17.0.2 → 198.51.100.10  ttl 64}. */
  public String summary() {
    StringBuilder b = new StringBuilder();
    b.append(src).append(srcPort == null ? "" : ":" + srcPort);
    b.append(" → ").append(dst).append(dstPort == null ? "" : ":" + dstPort);
    if (ttl != null) {
      b.append("  ttl ").append(ttl);
    }
    return b.toString();
  }
}
