package dev.layertrace.packet;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/** Big-endian field readers that fail with {@link PacketParseException} instead of an index error. */
final class Bytes {
  private Bytes() {}

  static void need(byte[] b, int off, int len, String what) {
    if (off < 0 || len < 0 || off + len > b.length) {
      throw new PacketParseException(what + ": need " + len + " bytes at offset " + off + ", have " + b.length);
    }
  }

  static int u8(byte[] b, int off) {
    return b[off] & 0xFF;
  }

  static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  static long u32(byte[] b, int off) {
    return ((long) u16(b, off) << 16) | u16(b, off + 2);
  }

  static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  static void put32(byte[] b, int off, long v) {
    put16(b, off, (int) (v >>> 16));
    put16(b, off + 2, (int) v);
  }

  static Inet4Address ipv4(byte[] b, int off) {
    byte[] a = {b[off], b[off + 1], b[off + 2], b[off + 3]};
    try {
      return (Inet4Address) InetAddress.getByAddress(a);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always an address
    }
  }

  static String mac(byte[] b, int off) {
    return HexFormat.ofDelimiter(":").formatHex(b, off, off + 6);
  }

  static byte[] slice(byte[] b, int off, int end) {
    return java.util.Arrays.copyOfRange(b, off, Math.max(off, end));
  }
}
