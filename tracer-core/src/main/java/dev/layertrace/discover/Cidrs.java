package dev.layertrace.discover;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Prefix arithmetic on IP literals (never resolves names). */
final class Cidrs {
  private Cidrs() {}

  /** True when {@code ip} lies in {@code prefix/length}; false for mixed families or bad input. */
  /** Whether {@code ip} (an address, or a CIDR whose address is taken) lies in {@code cidr}. */
  static boolean sameSubnet(String cidr, String ip) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String addr = ip.indexOf('/') < 0 ? ip : ip.substring(0, ip.indexOf('/'));
    return contains(cidr.substring(0, slash), Integer.parseInt(cidr.substring(slash + 1)), addr);
  }

  static boolean contains(String prefix, int length, String ip) {
    byte[] p = bytes(prefix);
    byte[] a = bytes(ip);
    if (p == null || a == null || p.length != a.length || length < 0 || length > p.length * 8) {
      return false;
    }
    int bits = p.length * 8;
    if (length == 0) {
      return true;
    }
    BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
        .xor(BigInteger.ONE.shiftLeft(bits - length).subtract(BigInteger.ONE));
    return new BigInteger(1, p).and(mask).equals(new BigInteger(1, a).and(mask));
  }

  static boolean isLiteral(String ip) {
    return bytes(ip) != null;
  }

  static byte[] bytes(String ip) {
    if (ip == null || ip.isEmpty() || !(ip.indexOf(':') >= 0 || ip.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
      return null;
    }
    try {
      return InetAddress.getByName(ip).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
