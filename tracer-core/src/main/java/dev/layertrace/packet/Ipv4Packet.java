package dev.layertrace.packet;

import java.net.Inet4Address;

/**
 * An IPv4 packet as parsed from the wire: header fields, addresses, and the transport it carries
 * (parsed for ICMP, UDP and TCP; raw bytes otherwise, and for non-first fragments).
 *
 * @param totalLength the header's total-length field
 * @param checksumValid whether the header checksum verifies (always true for a quoted header)
 */
public record Ipv4Packet(
    int headerLength,
    int tos,
    int totalLength,
    int identification,
    boolean dontFragment,
    boolean moreFragments,
    int fragmentOffset,
    int ttl,
    int protocol,
    int headerChecksum,
    boolean checksumValid,
    Inet4Address src,
    Inet4Address dst,
    Transport transport) {

  public static final int ICMP = 1;
  public static final int TCP = 6;
  public static final int UDP = 17;
  static final int MIN_HEADER = 20;

  /** Parses an IPv4 packet that starts at {@code b[0]}. */
  public static Ipv4Packet parse(byte[] b) {
    return parse(b, 0, false);
  }

  /**
   * Parses the packet an ICMP error quotes: its total length may exceed the bytes present, and the
   * transport may be cut after 8 bytes.
   */
  public static Ipv4Packet parseQuoted(byte[] b) {
    return parse(b, 0, true);
  }

  static Ipv4Packet parse(byte[] b, int off, boolean quoted) {
    Bytes.need(b, off, MIN_HEADER, "IPv4 header");
    int vihl = Bytes.u8(b, off);
    if (vihl >>> 4 != 4) {
      throw new PacketParseException("IPv4 header: version " + (vihl >>> 4));
    }
    int ihl = (vihl & 0x0F) * 4;
    if (ihl < MIN_HEADER) {
      throw new PacketParseException("IPv4 header: IHL " + ihl + " is below 20");
    }
    Bytes.need(b, off, ihl, "IPv4 header with options");
    int total = Bytes.u16(b, off + 2);
    if (total < ihl) {
      throw new PacketParseException("IPv4 header: total length " + total + " is below the header length " + ihl);
    }
    int end;
    if (off + total <= b.length) {
      end = off + total; // Ethernet padding after the packet is not payload
    } else if (quoted) {
      end = b.length;
    } else {
      throw new PacketParseException("IPv4 packet: total length " + total + " but only " + (b.length - off)
          + " bytes");
    }
    int flagsFrag = Bytes.u16(b, off + 6);
    int fragOffset = (flagsFrag & 0x1FFF) * 8;
    int protocol = Bytes.u8(b, off + 9);
    int start = off + ihl;
    Transport t;
    if (fragOffset != 0) {
      t = new OtherTransport(protocol, Bytes.slice(b, start, end));
    } else {
      t = switch (protocol) {
        case ICMP -> IcmpMessage.parse(b, start, end);
        case UDP -> UdpDatagram.parse(b, start, end);
        case TCP -> TcpSegment.parse(b, start, end, quoted);
        default -> new OtherTransport(protocol, Bytes.slice(b, start, end));
      };
    }
    boolean valid = quoted || Checksums.internet(b, off, ihl) == 0;
    return new Ipv4Packet(ihl, Bytes.u8(b, off + 1), total, Bytes.u16(b, off + 4), (flagsFrag & 0x4000) != 0,
        (flagsFrag & 0x2000) != 0, fragOffset, Bytes.u8(b, off + 8), protocol, Bytes.u16(b, off + 10), valid,
        Bytes.ipv4(b, off + 12), Bytes.ipv4(b, off + 16), t);
  }

  /** The ICMP message, if the packet carries one. */
  public java.util.Optional<IcmpMessage> icmp() {
    return transport instanceof IcmpMessage m ? java.util.Optional.of(m) : java.util.Optional.empty();
  }

  public java.util.Optional<UdpDatagram> udp() {
    return transport instanceof UdpDatagram u ? java.util.Optional.of(u) : java.util.Optional.empty();
  }

  public java.util.Optional<TcpSegment> tcp() {
    return transport instanceof TcpSegment s ? java.util.Optional.of(s) : java.util.Optional.empty();
  }

  /** {@code 172.17.0.2 → 198.51.100.10 icmp ttl 64 len 84}. */
  public String summary() {
    String proto = switch (protocol) {
      case ICMP -> "icmp";
      case UDP -> "udp";
      case TCP -> "tcp";
      default -> "proto " + protocol;
    };
    return src.getHostAddress() + " → " + dst.getHostAddress() + " " + proto + " ttl " + ttl + " len " + totalLength;
  }
}
