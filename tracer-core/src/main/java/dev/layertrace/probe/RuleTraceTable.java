package dev.layertrace.probe;

import dev.layertrace.model.Protocol;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The temporary nft table {@code --rule-trace} adds to a forwarding namespace: family inet, one chain
 * on prerouting at priority -350 (before raw, conntrack and every other table) that sets
 * {@code meta nftrace set 1} only for this trace's probes and their replies, matched by destination
 * (or, for replies, source) address, protocol and the probe id (ICMP id, or the UDP/TCP source port
 * derived from it), so that concurrent traces never trace each other's packets.
 */
public final class RuleTraceTable {
  /** Every table this tool adds is named so, with the pid of the process that owns it. */
  public static final String PREFIX = "layertrace_trace_";
  private static final Pattern NAME = Pattern.compile(PREFIX + "(\\d+)");

  private RuleTraceTable() {}

  /** {@code layertrace_trace_<pid>}. */
  public static String name(long pid) {
    return PREFIX + pid;
  }

  /** The pid in a table name made by {@link #name}, or -1 for any other name. */
  public static long ownerPid(String tableName) {
    Matcher m = NAME.matcher(tableName);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** The {@code nft -f} script that creates the table. */
  public static String script(String tableName, ProbeSpec spec, List<ProbeId> ids) {
    String dst = spec.dst().getHostAddress();
    StringBuilder b = new StringBuilder("table inet ").append(tableName).append(" {\n")
        .append("  chain trace {\n    type filter hook prerouting priority -350; policy accept;\n");
    if (spec.protocol() == Protocol.ICMP) {
      String set = set(ids.stream().map(id -> Integer.toString(id.value())).toList());
      b.append("    ip daddr ").append(dst).append(" icmp type echo-request icmp id ").append(set)
          .append(" meta nftrace set 1\n");
      b.append("    ip saddr ").append(dst).append(" icmp type echo-reply icmp id ").append(set)
          .append(" meta nftrace set 1\n");
    } else {
      String l4 = spec.protocol() == Protocol.UDP ? "udp" : "tcp";
      String ports = set(ids.stream().map(id -> Integer.toString(ProbePackets.srcPort(id))).toList());
      b.append("    ip daddr ").append(dst).append(' ').append(l4).append(" sport ").append(ports)
          .append(' ').append(l4).append(" dport ").append(spec.dstPort()).append(" meta nftrace set 1\n");
      b.append("    ip saddr ").append(dst).append(' ').append(l4).append(" sport ").append(spec.dstPort())
          .append(' ').append(l4).append(" dport ").append(ports).append(" meta nftrace set 1\n");
    }
    return b.append("  }\n}\n").toString();
  }

  private static String set(List<String> values) {
    return values.size() == 1 ? values.get(0) : values.stream().collect(Collectors.joining(", ", "{ ", " }"));
  }
}
