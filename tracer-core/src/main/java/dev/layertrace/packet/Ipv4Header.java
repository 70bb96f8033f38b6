package dev.layertrace.packet;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * The IPv4 header fields a builder needs. A zero source lets a raw socket with IP_HDRINCL fill in
 * the address of the outgoing interface (raw(7)).
 */
public record Ipv4Header(Inet4Address src, Inet4Address dst, int identification, int ttl, boolean dontFragment) {
  public Ipv4Header {
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(dst, "dst");
    if (ttl < 1 || ttl > 255 || identification < 0 || identification > 0xFFFF) {
      throw new IllegalArgumentException("ttl must be 1..255 and identification 0..65535");
    }
  }
}
