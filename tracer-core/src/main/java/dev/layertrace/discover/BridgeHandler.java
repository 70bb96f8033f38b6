package dev.layertrace.discover;

import dev.layertrace.model.EdgeKind;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.Severity;
import dev.layertrace.netlink.Link;
import dev.layertrace.netlink.Route;
import java.util.Optional;

/** A Linux bridge: ports hand frames to it; as an output device it ends what discovery follows. */
final class BridgeHandler implements LinkHandler {
  @Override
  public boolean handles(Link link) {
    return link.isBridge();
  }

  @Override
  public Optional<Arrival> egress(PathContext ctx, NamespaceSnapshot ns, Link link, Route route) {
    ctx.add(bridgeLayer(ns, link).withDetail("route", RouteText.describe(ns, route, ctx.request.destination())));
    LinkChecks.state(ctx, LayerKind.BRIDGE, ns, link);
    LinkChecks.nextHop(ctx, LayerKind.BRIDGE, ns, link, route);
    ctx.notes.add("the route leaves " + ns.name() + " through bridge " + link.name()
        + "; which port forwards it is decided by the bridge's FDB, not followed");
    return Optional.empty();
  }

  @Override
  public Optional<Arrival> far(PathContext ctx, NamespaceSnapshot ns, Link link, Route route) {
    return Optional.empty();
  }

  @Override
  public Link ingress(PathContext ctx, NamespaceSnapshot ns, Arrival a) {
    port(ctx, ns, a.link());
    return a.link();
  }

  /** The bridge layer after one of its ports. */
  void port(PathContext ctx, NamespaceSnapshot ns, Link bridge) {
    ctx.via(EdgeKind.BRIDGE_PORT).add(bridgeLayer(ns, bridge));
    LinkChecks.state(ctx, LayerKind.BRIDGE, ns, bridge);
  }

  /**
   * A veth that is nobody's port: the bridge that should hold it is the one owning the gateway the
   * sender used (or any bridge with an address in the sender's subnet); reported as not-bridged.
   */
  Link unbridged(PathContext ctx, NamespaceSnapshot ns, Link veth, Route previous) {
    String gateway = previous == null ? null : previous.gateway();
    Optional<Link> bridge = ns.links().stream().filter(Link::isBridge)
        .filter(b -> gateway == null || ns.addresses().stream()
            .anyMatch(x -> x.ifindex() == b.index() && x.address().equals(gateway)))
        .findFirst();
    if (bridge.isEmpty()) {
      return veth; // a routed veth (no bridge in between): the kernel routes from the veth itself
    }
    Link b = bridge.get();
    ctx.via(EdgeKind.BRIDGE_PORT).add(bridgeLayer(ns, b));
    ctx.finding(LayerKind.BRIDGE, ns.name(), b.name(), "not-bridged", Severity.ERROR,
        veth.name() + " is not a port of " + b.name() + ": frames from the container never reach the bridge",
        "ip -n " + ns.name() + " link set " + veth.name() + " master " + b.name(),
        veth.name() + " has no master; " + b.name() + " owns the gateway " + gateway);
    LinkChecks.state(ctx, LayerKind.BRIDGE, ns, b);
    return b;
  }

  private static Layer bridgeLayer(NamespaceSnapshot ns, Link b) {
    Layer l = PathContext.deviceLayer(LayerKind.BRIDGE, ns, b);
    String nf = ns.sysctls().get("net.bridge.bridge-nf-call-iptables");
    return nf == null ? l.withDetail("bridge-nf-call-iptables", "n/a (br_netfilter not loaded)")
        : l.withDetail("bridge-nf-call-iptables", nf);
  }
}
