package dev.layertrace.probe;

import dev.layertrace.model.Probe;
import dev.layertrace.model.Protocol;
import dev.layertrace.packet.Ipv4Header;
import dev.layertrace.packet.PacketBuilder;
import dev.layertrace.packet.TcpSegment;
import java.net.Inet4Address;

/** Builds the bytes of one probe (an IPv4 packet for a raw IP_HDRINCL socket) and its model record. */
public final class ProbePackets {
  private static final byte[] MSS_1460 = {2, 4, 5, (byte) 0xb4};
  /** Source ports 40000..59999: above the usual ephemeral start of masquerade, the id modulo 20000. */
  private static final int SRC_PORT_BASE = 40000;

  private ProbePackets() {}

  /** The IPv4 packet for probe {@code id}, the {@code seq}-th of its trace (1-based). */
  public static byte[] build(ProbeSpec s, ProbeId id, int seq) {
    Inet4Address src = s.src() == null ? zero() : s.src();
    // The IP id is left to the kernel when 0 (raw(7)); use the probe id so that a reassembly is attributable.
    Ipv4Header h = new Ipv4Header(src, s.dst(), id.value(), s.ttl(), s.df());
    return switch (s.protocol()) {
      case ICMP -> PacketBuilder.icmpEcho(h, id.value(), seq, payload(id, s.size() - 28));
      case UDP -> PacketBuilder.udp(h, srcPort(id), s.dstPort(), payload(id, s.size() - 28));
      case TCP -> PacketBuilder.tcp(h, srcPort(id), s.dstPort(), id.markerWord(), 0, TcpSegment.SYN, 64240, MSS_1460,
          s.size() > 44 ? payload(id, s.size() - 44) : new byte[0]);
    };
  }

  /** The source port of a UDP or TCP probe. */
  public static int srcPort(ProbeId id) {
    return SRC_PORT_BASE + id.value() % 20000;
  }

  /** The model record of what {@link #build} sends. */
  public static Probe describe(ProbeSpec s, ProbeId id) {
    boolean ports = s.protocol() != Protocol.ICMP;
    return new Probe(id.hex(), s.protocol(), s.src() == null ? null : s.src().getHostAddress(),
        s.dst().getHostAddress(), ports ? srcPort(id) : null, ports ? s.dstPort() : null, s.size(), s.df(), s.ttl());
  }

  /** The marker, then a counting pattern (like ping's), {@code length} bytes in all. */
  static byte[] payload(ProbeId id, int length) {
    byte[] p = new byte[Math.max(length, 4)];
    System.arraycopy(id.marker(), 0, p, 0, 4);
    for (int i = 4; i < p.length; i++) {
      p[i] = (byte) i;
    }
    return p;
  }

  private static Inet4Address zero() {
    try {
      return (Inet4Address) java.net.InetAddress.getByAddress(new byte[4]);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
