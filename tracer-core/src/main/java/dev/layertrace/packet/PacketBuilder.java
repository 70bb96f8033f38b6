package dev.layertrace.packet;

import java.net.Inet4Address;

/**
 * Builds IPv4 packets (and Ethernet frames for tests) byte for byte, with correct lengths and
 * checksums, so that they parse back to the same fields.
 */
public final class PacketBuilder {
  private PacketBuilder() {}

  /** An ICMP echo request (type 8) with {@code id}, {@code seq} and {@code payload}. */
  public static byte[] icmpEcho(Ipv4Header h, int id, int seq, byte[] payload) {
    return icmp(h, IcmpMessage.ECHO_REQUEST, 0, id, seq, payload);
  }

  /** Any ICMP message; {@code rest1}/{@code rest2} fill the second header word. */
  public static byte[] icmp(Ipv4Header h, int type, int code, int rest1, int rest2, byte[] payload) {
    byte[] p = ipv4(h, Ipv4Packet.ICMP, IcmpMessage.HEADER + payload.length);
    int o = Ipv4Packet.MIN_HEADER;
    p[o] = (byte) type;
    p[o + 1] = (byte) code;
    Bytes.put16(p, o + 4, rest1);
    Bytes.put16(p, o + 6, rest2);
    System.arraycopy(payload, 0, p, o + IcmpMessage.HEADER, payload.length);
    Bytes.put16(p, o + 2, Checksums.internet(p, o, p.length - o));
    return p;
  }

  /** A UDP datagram from {@code srcPort} to {@code dstPort}. */
  public static byte[] udp(Ipv4Header h, int srcPort, int dstPort, byte[] payload) {
    int len = UdpDatagram.HEADER + payload.length;
    byte[] p = ipv4(h, Ipv4Packet.UDP, len);
    int o = Ipv4Packet.MIN_HEADER;
    Bytes.put16(p, o, srcPort);
    Bytes.put16(p, o + 2, dstPort);
    Bytes.put16(p, o + 4, len);
    System.arraycopy(payload, 0, p, o + UdpDatagram.HEADER, payload.length);
    int sum = Checksums.transport(h.src(), h.dst(), Ipv4Packet.UDP, p, o, len);
    Bytes.put16(p, o + 6, sum == 0 ? 0xFFFF : sum); // 0 means "no checksum" in UDP
    return p;
  }

  /**
   * A TCP segment. {@code options} must be a multiple of 4 bytes long (e.g. an MSS option
   * {@code 02 04 05 b4}).
   */
  public static byte[] tcp(Ipv4Header h, int srcPort, int dstPort, long seq, long ack, int flags, int window,
      byte[] options, byte[] payload) {
    if (options.length % 4 != 0 || options.length > 40) {
      throw new IllegalArgumentException("TCP options must be a multiple of 4 bytes, at most 40");
    }
    int hdr = TcpSegment.MIN_HEADER + options.length;
    int len = hdr + payload.length;
    byte[] p = ipv4(h, Ipv4Packet.TCP, len);
    int o = Ipv4Packet.MIN_HEADER;
    Bytes.put16(p, o, srcPort);
    Bytes.put16(p, o + 2, dstPort);
    Bytes.put32(p, o + 4, seq);
    Bytes.put32(p, o + 8, ack);
    p[o + 12] = (byte) ((hdr / 4) << 4);
    p[o + 13] = (byte) flags;
    Bytes.put16(p, o + 14, window);
    System.arraycopy(options, 0, p, o + TcpSegment.MIN_HEADER, options.length);
    System.arraycopy(payload, 0, p, o + hdr, payload.length);
    Bytes.put16(p, o + 16, Checksums.transport(h.src(), h.dst(), Ipv4Packet.TCP, p, o, len));
    return p;
  }

  /** An Ethernet II frame around {@code payload}. */
  public static byte[] ethernet(String dstMac, String srcMac, int etherType, byte[] payload) {
    byte[] f = new byte[EthernetFrame.HEADER + payload.length];
    putMac(f, 0, dstMac);
    putMac(f, 6, srcMac);
    Bytes.put16(f, 12, etherType);
    System.arraycopy(payload, 0, f, EthernetFrame.HEADER, payload.length);
    return f;
  }

  /** An ARP message (the 28 bytes after the Ethernet header). */
  public static byte[] arp(int operation, String senderMac, Inet4Address senderIp, String targetMac,
      Inet4Address targetIp) {
    byte[] a = new byte[ArpPacket.LENGTH];
    Bytes.put16(a, 0, 1);
    Bytes.put16(a, 2, EthernetFrame.TYPE_IPV4);
    a[4] = 6;
    a[5] = 4;
    Bytes.put16(a, 6, operation);
    putMac(a, 8, senderMac);
    System.arraycopy(senderIp.getAddress(), 0, a, 14, 4);
    putMac(a, 18, targetMac);
    System.arraycopy(targetIp.getAddress(), 0, a, 24, 4);
    return a;
  }

  private static byte[] ipv4(Ipv4Header h, int protocol, int payloadLength) {
    int total = Ipv4Packet.MIN_HEADER + payloadLength;
    if (total > 0xFFFF) {
      throw new IllegalArgumentException("an IPv4 packet holds at most 65535 bytes, not " + total);
    }
    byte[] p = new byte[total];
    p[0] = 0x45;
    Bytes.put16(p, 2, total);
    Bytes.put16(p, 4, h.identification());
    Bytes.put16(p, 6, h.dontFragment() ? 0x4000 : 0);
    p[8] = (byte) h.ttl();
    p[9] = (byte) protocol;
    System.arraycopy(h.src().getAddress(), 0, p, 12, 4);
    System.arraycopy(h.dst().getAddress(), 0, p, 16, 4);
    Bytes.put16(p, 10, Checksums.internet(p, 0, Ipv4Packet.MIN_HEADER));
    return p;
  }

  private static void putMac(byte[] b, int off, String mac) {
    String[] parts = mac.split(":");
    if (parts.length != 6) {
      throw new IllegalArgumentException("not a MAC address: " + mac);
    }
    for (int i = 0; i < 6; i++) {
      b[off + i] = (byte) Integer.parseInt(parts[i], 16);
    }
  }
}
