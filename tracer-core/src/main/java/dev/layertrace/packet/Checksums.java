package dev.layertrace.packet;

import java.net.Inet4Address;

/** The Internet checksum (RFC 1071) and the IPv4 pseudo-header sum that UDP and TCP add to it. */
public final class Checksums {
  private Checksums() {}

  /** The one's-complement checksum of {@code b[off, off+len)}; 0 over a region that carries a correct checksum. */
  public static int internet(byte[] b, int off, int len) {
    return fold(sum(b, off, len, 0));
  }

  /**
   * The UDP/TCP checksum of a segment ({@code segment[off, off+len)}, its checksum field zeroed or
   * correct) with the IPv4 pseudo-header of {@code src}, {@code dst} and {@code protocol}.
   */
  public static int transport(Inet4Address src, Inet4Address dst, int protocol, byte[] segment, int off, int len) {
    long s = sum(src.getAddress(), 0, 4, 0);
    s = sum(dst.getAddress(), 0, 4, s);
    s += protocol + len;
    return fold(sum(segment, off, len, s));
  }

  private static long sum(byte[] b, int off, int len, long start) {
    long s = start;
    int i = off;
    for (; i + 1 < off + len; i += 2) {
      s += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }
    if (i < off + len) {
      s += (b[i] & 0xFF) << 8;
    }
    return s;
  }

  private static int fold(long s) {
    while ((s >>> 16) != 0) {
      s = (s & 0xFFFF) + (s >>> 16);
    }
    return (int) (~s & 0xFFFF);
  }
}
