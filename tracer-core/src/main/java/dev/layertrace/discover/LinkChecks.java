package dev.layertrace.discover;

import dev.layertrace.model.LayerKind;
import dev.layertrace.model.Severity;
import dev.layertrace.netlink.Link;
import dev.layertrace.netlink.Neighbour;
import dev.layertrace.netlink.Route;

/** Findings about one device on the path: administrative and carrier state, the next hop. */
final class LinkChecks {
  private LinkChecks() {}

  /** link-down at the layer of a device that is administratively down. */
  static void state(PathContext ctx, LayerKind kind, NamespaceSnapshot ns, Link link) {
    if (!link.adminUp()) {
      ctx.finding(kind, ns.name(), link.name(), "link-down", Severity.ERROR,
          link.name() + " in " + ns.name() + " is down",
          "ip -n " + ns.name() + " link set " + link.name() + " up",
          "operstate " + link.operState());
    }
  }

  /**
   * The next hop of {@code route} out of {@code link}: its neighbour entry as a detail, and
   * neighbor-unresolved when the kernel failed to resolve it or an on-link gateway lies outside every
   * subnet of the device.
   */
  static void nextHop(PathContext ctx, LayerKind kind, NamespaceSnapshot ns, Link link, Route route) {
    String hop = route.gateway() != null ? route.gateway() : ctx.request.destination();
    Neighbour n = ns.neighbour(link.index(), hop).orElse(null);
    String state = n == null ? "none" : n.stateWord();
    ctx.replaceLast(ctx.last().withDetail("next_hop", hop + " " + state + (n != null && n.lladdr() != null
        ? " " + n.lladdr() : "")));
    if (n != null && n.unresolved()) {
      ctx.finding(kind, ns.name(), link.name(), "neighbor-unresolved", Severity.ERROR,
          "next hop " + hop + " on " + link.name() + " does not answer ARP (" + state + ")",
          "check that " + hop + " exists on the link, or fix the route: ip -n " + ns.name() + " route",
          "neighbour " + hop + " dev " + link.name() + " " + state);
      return;
    }
    if (route.gateway() != null) {
      boolean inSubnet = ns.addresses().stream().filter(a -> a.ifindex() == link.index())
          .anyMatch(a -> Cidrs.contains(a.address(), a.prefixLength(), route.gateway()));
      if (!inSubnet) {
        ctx.finding(kind, ns.name(), link.name(), "neighbor-unresolved",
            route.onLink() ? Severity.WARNING : Severity.ERROR,
            "gateway " + route.gateway() + " is outside every subnet of " + link.name()
                + (route.onLink() ? " (route marked onlink): nothing says it answers ARP" : ""),
            "ip -n " + ns.name() + " route replace default via <a gateway in " + String.join(", ",
                ns.cidrs(link.index())) + "> dev " + link.name(),
            "addresses of " + link.name() + ": " + String.join(", ", ns.cidrs(link.index())));
      }
    }
  }
}
