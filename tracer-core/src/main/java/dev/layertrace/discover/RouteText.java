package dev.layertrace.discover;

import dev.layertrace.netlink.Route;
import java.util.Comparator;

/** Describes a kernel route answer the way {@code ip route} lists the entry it came from. */
final class RouteText {
  private RouteText() {}

  /**
   * {@code default via 172.16.0.1 dev eth0}: the longest matching entry of the answer's table in the
   * namespace's dump, with the answer's device; the bare answer when no entry matches.
   */
  static String describe(NamespaceSnapshot ns, Route answer, String destination) {
    Route entry = ns.routes().stream()
        .filter(r -> r.table() == answer.table() && r.type() == answer.type())
        .filter(r -> r.dst() == null ? r.dstLength() == 0 : Cidrs.contains(r.dst(), r.dstLength(), destination))
        .filter(r -> r.oif() == 0 || r.oif() == answer.oif())
        .max(Comparator.comparingInt(Route::dstLength))
        .orElse(answer);
    StringBuilder b = new StringBuilder();
    if (entry.type() != Route.RTN_UNICAST) {
      b.append(entry.typeWord()).append(' ');
    }
    b.append(entry == answer ? destination : entry.prefix().replace("/32", ""));
    if (entry.gateway() != null) {
      b.append(" via ").append(entry.gateway());
    }
    if (answer.oif() != 0) {
      b.append(" dev ").append(ns.linkName(answer.oif()));
    }
    if (entry.onLink()) {
      b.append(" onlink");
    }
    if (answer.table() != 254 && answer.table() != 255) {
      b.append(" table ").append(answer.table());
    }
    return b.toString();
  }
}
