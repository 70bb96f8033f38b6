package dev.layertrace.sys;

import java.nio.ByteBuffer;

/** ICMP echo building and parsing for the socket tests (RFC 792 layout, RFC 1071 checksum). */
final class Icmp {
  private Icmp() {}

  /** An echo request: type 8, code 0, checksum, identifier, sequence, payload. */
  static byte[] echoRequest(int id, int seq, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
    b.put((byte) LinuxConstants.ICMP_ECHO).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) seq)
        .put(payload);
    byte[] msg = b.array();
    int sum = checksum(msg, 0, msg.length);
    msg[2] = (byte) (sum >> 8);
    msg[3] = (byte) sum;
    return msg;
  }

  /** The Internet checksum of {@code b[off, off+len)}. */
  static int checksum(byte[] b, int off, int len) {
    long sum = 0;
    for (int i = 0; i + 1 < len; i += 2) {
      sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
    }
    if ((len & 1) == 1) {
      sum += (b[off + len - 1] & 0xFF) << 8;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return (int) (~sum & 0xFFFF);
  }

  /** Offset of the ICMP header in an IPv4 packet at {@code ipOff}, or -1 if the packet is not ICMP. */
  static int icmpOffset(byte[] pkt, int ipOff, int len) {
    if (len < ipOff + 28 || (pkt[ipOff] >> 4) != 4 || pkt[ipOff + 9] != LinuxConstants.IPPROTO_ICMP) {
      return -1;
    }
    return ipOff + (pkt[ipOff] & 0x0F) * 4;
  }

  static int type(byte[] pkt, int icmpOff) {
    return pkt[icmpOff] & 0xFF;
  }

  static int id(byte[] pkt, int icmpOff) {
    return ((pkt[icmpOff + 4] & 0xFF) << 8) | (pkt[icmpOff + 5] & 0xFF);
  }
}
