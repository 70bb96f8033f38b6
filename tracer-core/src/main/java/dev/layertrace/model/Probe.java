package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * One probe packet as sent. The id is carried in fields that survive NAT (ICMP id and sequence,
 * a payload marker, a TCP sequence number), so every observation belongs to exactly one probe.
 *
 * @param size total IP packet length in bytes
 * @param df whether the don't-fragment bit was set
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Probe(
    String id,
    Protocol protocol,
    String src,
    String dst,
    Integer srcPort,
    Integer dstPort,
    int size,
    boolean df,
    int ttl) {

  public Probe {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(dst, "dst");
    if (size < 0 || ttl < 0 || ttl > 255) {
      throw new IllegalArgumentException("probe size must be ≥ 0 and ttl 0..255");
    }
  }

  /** {@code ICMP echo 172.17.0.2 → 198.51.100.10} or {@code UDP 172.17.0.2:40000 → 198.51.100.10:53}. */
  public String describe() {
    String arrow = " → ";
    return switch (protocol) {
      case ICMP -> "ICMP echo " + src + arrow + dst;
      case UDP, TCP -> protocol.name() + (protocol == Protocol.TCP ? " SYN " : " ")
          + src + (srcPort == null ? "" : ":" + srcPort) + arrow + dst + (dstPort == null ? "" : ":" + dstPort);
    };
  }
}
