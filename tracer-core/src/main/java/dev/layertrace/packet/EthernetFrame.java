package dev.layertrace.packet;

import java.util.Optional;

/**
 * An Ethernet II frame as an AF_PACKET socket or a pcap file gives it, parsed once into its layers
 * (the pcap4j shape: {@code EthernetFrame.parse(bytes).ipv4().flatMap(Ipv4Packet::icmp)}). One 802.1Q
 * tag is skipped. Immutable.
 */
public record EthernetFrame(String dstMac, String srcMac, int etherType, int length, Ipv4Packet ipv4Packet,
    ArpPacket arpPacket) {
  public static final int TYPE_IPV4 = 0x0800;
  public static final int TYPE_ARP = 0x0806;
  public static final int TYPE_VLAN = 0x8100;
  static final int HEADER = 14;

  /** Parses {@code frame} from its first byte; throws {@link PacketParseException} on malformed input only. */
  public static EthernetFrame parse(byte[] frame) {
    return parse(frame, frame.length);
  }

  /** Parses the first {@code length} bytes of {@code buf} (a receive buffer). */
  public static EthernetFrame parse(byte[] buf, int length) {
    if (length < 0 || length > buf.length) {
      throw new PacketParseException("frame length " + length + " outside a buffer of " + buf.length);
    }
    byte[] b = length == buf.length ? buf : java.util.Arrays.copyOf(buf, length);
    Bytes.need(b, 0, HEADER, "Ethernet header");
    int type = Bytes.u16(b, 12);
    int start = HEADER;
    if (type == TYPE_VLAN) {
      Bytes.need(b, 0, HEADER + 4, "802.1Q tag");
      type = Bytes.u16(b, 16);
      start += 4;
    }
    Ipv4Packet ip = null;
    ArpPacket arp = null;
    if (type == TYPE_IPV4) {
      ip = Ipv4Packet.parse(java.util.Arrays.copyOfRange(b, start, b.length), 0, false);
    } else if (type == TYPE_ARP) {
      arp = ArpPacket.parse(b, start);
    }
    return new EthernetFrame(Bytes.mac(b, 0), Bytes.mac(b, 6), type, length, ip, arp);
  }

  public Optional<Ipv4Packet> ipv4() {
    return Optional.ofNullable(ipv4Packet);
  }

  public Optional<ArpPacket> arp() {
    return Optional.ofNullable(arpPacket);
  }
}
