package dev.layertrace.packet;

import java.net.Inet4Address;

/** An ARP message for IPv4 over Ethernet: who has {@code targetIp}? / {@code senderIp} is at {@code senderMac}. */
public record ArpPacket(int operation, String senderMac, Inet4Address senderIp, String targetMac, Inet4Address targetIp) {
  public static final int REQUEST = 1;
  public static final int REPLY = 2;
  static final int LENGTH = 28;

  static ArpPacket parse(byte[] b, int off) {
    Bytes.need(b, off, LENGTH, "ARP message");
    int htype = Bytes.u16(b, off);
    int ptype = Bytes.u16(b, off + 2);
    if (htype != 1 || ptype != EthernetFrame.TYPE_IPV4 || Bytes.u8(b, off + 4) != 6 || Bytes.u8(b, off + 5) != 4) {
      throw new PacketParseException("ARP message: not IPv4 over Ethernet (htype " + htype + ", ptype 0x"
          + Integer.toHexString(ptype) + ")");
    }
    return new ArpPacket(Bytes.u16(b, off + 6), Bytes.mac(b, off + 8), Bytes.ipv4(b, off + 14),
        Bytes.mac(b, off + 18), Bytes.ipv4(b, off + 24));
  }

  public boolean isRequest() {
    return operation == REQUEST;
  }

  public boolean isReply() {
    return operation == REPLY;
  }
}
