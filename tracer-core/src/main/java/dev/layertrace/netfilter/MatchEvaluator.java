package dev.layertrace.netfilter;

import dev.layertrace.model.Protocol;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Decides one {@link Expression.Match} for a flow: yes, no, or unknown (a field this model cannot see). */
final class MatchEvaluator {
  /** Three-valued match result. */
  enum Tri { YES, NO, UNKNOWN }

  private final Flow flow;
  private final Map<String, List<String>> interfaceAddresses;

  MatchEvaluator(Flow flow, Map<String, List<String>> interfaceAddresses) {
    this.flow = flow;
    this.interfaceAddresses = interfaceAddresses;
  }

  Tri evaluate(Expression.Match m) {
    String field = m.field();
    String[] parts = field.split(" ");
    if (parts.length == 2 && (parts[1].equals("dport") || parts[1].equals("sport"))
        && (parts[0].equals("tcp") || parts[0].equals("udp") || parts[0].equals("th"))) {
      // tcp dport implies "meta l4proto tcp" in nft, whatever the operator: another protocol never matches.
      boolean l4ok = parts[0].equals("th") ? flow.protocol() != Protocol.ICMP : protocolWord().equals(parts[0]);
      if (!l4ok) {
        return Tri.NO;
      }
      int port = parts[1].equals("dport") ? flow.destinationPort() : flow.sourcePort();
      return test(m, v -> numberIn(v, port));
    }
    return switch (field) {
      case "meta iifname" -> test(m, v -> ifaceMatches(v, flow.inInterface()));
      case "meta oifname" -> test(m, v -> ifaceMatches(v, flow.outInterface()));
      case "ip saddr" -> addressTest(m, flow.source());
      case "ip daddr" -> addressTest(m, flow.destination());
      case "meta l4proto", "ip protocol" -> test(m, v -> protocolName(v).equals(protocolWord()));
      case "meta nfproto" -> test(m, v -> v.equals("ipv4"));
      case "ct state" -> test(m, v -> v.equals(flow.state().word()));
      case "fib daddr type", "fib saddr type" -> {
        if (interfaceAddresses.isEmpty()) {
          yield Tri.UNKNOWN;
        }
        String addr = field.startsWith("fib daddr") ? flow.destination() : flow.source();
        boolean local = interfaceAddresses.values().stream().anyMatch(l -> l.contains(addr))
            || addr.startsWith("127.");
        String type = local ? "local" : "unicast";
        yield test(m, v -> v.equals(type));
      }
      default -> Tri.UNKNOWN;
    };
  }

  private interface ValueTest {
    boolean test(String value);
  }

  private static Tri test(Expression.Match m, ValueTest t) {
    boolean any = m.values().stream().anyMatch(t::test);
    return any != m.negated() ? Tri.YES : Tri.NO;
  }

  private Tri addressTest(Expression.Match m, String address) {
    long a = Ipv4.parse(address);
    if (a < 0) {
      return Tri.UNKNOWN;
    }
    for (String v : m.values()) {
      if (Ipv4.parseSpec(v) == null) {
        return Tri.UNKNOWN;
      }
    }
    return test(m, v -> Ipv4.parseSpec(v).contains(a));
  }

  private String protocolWord() {
    return flow.protocol().name().toLowerCase(Locale.ROOT);
  }

  private static String protocolName(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "1" -> "icmp";
      case "6" -> "tcp";
      case "17" -> "udp";
      default -> v.toLowerCase(Locale.ROOT);
    };
  }

  private static boolean ifaceMatches(String pattern, String name) {
    if (pattern.endsWith("*") && !pattern.endsWith("\\*")) {
      return name.startsWith(pattern.substring(0, pattern.length() - 1));
    }
    return pattern.replace("\\*", "*").equals(name);
  }

  private static boolean numberIn(String v, int n) {
    try {
      int dash = v.indexOf('-');
      if (dash > 0) {
        return n >= Integer.parseInt(v.substring(0, dash)) && n <= Integer.parseInt(v.substring(dash + 1));
      }
      return Integer.parseInt(v) == n;
    } catch (NumberFormatException e) {
      return false; // a service name such as "http": not numeric, so it cannot equal the port number
    }
  }

  /** IPv4 addresses, prefixes and ranges as unsigned 32-bit values. */
  static final class Ipv4 {
    private Ipv4() {}

    /** A closed interval of addresses. */
    record Span(long low, long high) {
      boolean contains(long a) {
        return a >= low && a <= high;
      }
    }

    /** The address as 0..2^32-1, or -1 when it is not a dotted quad. */
    static long parse(String s) {
      String[] p = s.split("\\.", -1);
      if (p.length != 4) {
        return -1;
      }
      long v = 0;
      for (String x : p) {
        if (x.isEmpty() || x.length() > 3 || !x.chars().allMatch(Character::isDigit)) {
          return -1;
        }
        int o = Integer.parseInt(x);
        if (o > 255) {
          return -1;
        }
        v = (v << 8) | o;
      }
      return v;
    }

    /** An address, {@code a.b.c.d/len} or {@code a-b}; null when it is none of these. */
    static Span parseSpec(String s) {
      int slash = s.indexOf('/');
      int dash = s.indexOf('-');
      if (slash > 0) {
        long base = parse(s.substring(0, slash));
        String len = s.substring(slash + 1);
        if (base < 0 || len.isEmpty() || len.length() > 2 || !len.chars().allMatch(Character::isDigit)) {
          return null;
        }
        int l = Integer.parseInt(len);
        if (l > 32) {
          return null;
        }
        long mask = l == 0 ? 0 : (0xFFFFFFFFL << (32 - l)) & 0xFFFFFFFFL;
        return new Span(base & mask, (base & mask) | (~mask & 0xFFFFFFFFL));
      }
      if (dash > 0) {
        long lo = parse(s.substring(0, dash));
        long hi = parse(s.substring(dash + 1));
        return lo < 0 || hi < 0 ? null : new Span(lo, hi);
      }
      long a = parse(s);
      return a < 0 ? null : new Span(a, a);
    }
  }
}
