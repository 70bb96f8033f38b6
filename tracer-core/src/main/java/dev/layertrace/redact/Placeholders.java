package dev.layertrace.redact;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The token → placeholder table of one redaction. Placeholders are handed out in the order tokens are
 * first met, so a capture that is already redacted maps onto itself (redaction is idempotent).
 * Used by one redaction only; not shared.
 */
final class Placeholders {
  private final Map<String, String> ipv4 = new LinkedHashMap<>();
  private final Map<String, String> ipv6 = new LinkedHashMap<>();
  private final Map<String, String> macs = new LinkedHashMap<>();
  private final Map<String, String> names = new LinkedHashMap<>();
  private final Map<String, Integer> perPrefix = new LinkedHashMap<>();

  /**
   * An IPv4 address in the documentation ranges: 192.0.2.1–254, then 198.51.100.1–254, then
   * 203.0.113.1–254 (RFC 5737), then the benchmarking range 198.18.0.0/15 (RFC 2544).
   */
  String ipv4(String address) {
    return ipv4.computeIfAbsent(address, a -> {
      int n = ipv4.size();
      if (n < 254) {
        return "192.0.2." + (n + 1);
      } else if (n < 508) {
        return "198.51.100." + (n - 253);
      } else if (n < 762) {
        return "203.0.113." + (n - 507);
      }
      int m = n - 762 + 1;
      return "198." + (18 + (m >>> 16 & 1)) + "." + (m >>> 8 & 0xff) + "." + (m & 0xff);
    });
  }

  /** An IPv6 address in the documentation prefix 2001:db8::/32 (RFC 3849). */
  String ipv6(String address) {
    return ipv6.computeIfAbsent(address.toLowerCase(java.util.Locale.ROOT),
        a -> "2001:db8::" + Integer.toHexString(ipv6.size() + 1));
  }

  /** A locally administered unicast MAC: 02:00:00:00:HH:LL. */
  String mac(String mac) {
    return macs.computeIfAbsent(mac.toLowerCase(java.util.Locale.ROOT), m -> {
      int n = macs.size() + 1;
      return String.format("02:00:00:00:%02x:%02x", n >>> 8 & 0xff, n & 0xff);
    });
  }

  /** Registers a name with its kind's prefix ({@code ns}, {@code if}, {@code ctr}); the first kind wins. */
  void name(String name, String prefix) {
    names.computeIfAbsent(name, k -> prefix + perPrefix.merge(prefix, 1, Integer::sum));
  }

  /** A name registered under a fixed placeholder (the hostname). */
  void fixedName(String name, String placeholder) {
    names.putIfAbsent(name, placeholder);
  }

  Map<String, String> names() {
    return names;
  }
}
