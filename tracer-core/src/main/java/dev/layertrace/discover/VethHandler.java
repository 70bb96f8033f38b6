package dev.layertrace.discover;

import dev.layertrace.model.EdgeKind;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.Severity;
import dev.layertrace.netlink.Link;
import dev.layertrace.netlink.Route;
import java.util.Optional;

/** A veth: the packet comes out of its peer (IFLA_LINK, in the namespace IFLA_LINK_NETNSID names). */
final class VethHandler implements LinkHandler {
  private final BridgeHandler bridges = new BridgeHandler();

  @Override
  public boolean handles(Link link) {
    return link.isVeth();
  }

  @Override
  public Optional<Arrival> egress(PathContext ctx, NamespaceSnapshot ns, Link link, Route route) {
    Optional<Arrival> far = far(ctx, ns, link, route);
    ctx.add(PathContext.deviceLayer(LayerKind.UPLINK, ns, link).withPeer(far.map(VethHandler::name).orElse(null))
        .withDetail("route", RouteText.describe(ns, route, ctx.request.destination())));
    LinkChecks.state(ctx, LayerKind.UPLINK, ns, link);
    LinkChecks.nextHop(ctx, LayerKind.UPLINK, ns, link, route);
    return far.map(a -> new Arrival(a.netns(), a.link(), EdgeKind.UPLINK, route));
  }

  @Override
  public Optional<Arrival> far(PathContext ctx, NamespaceSnapshot ns, Link link, Route route) {
    if (link.link() == 0) {
      ctx.notes.add("veth " + ns.name() + "/" + link.name() + " has no peer index");
      return Optional.empty();
    }
    Optional<String> peerNs = link.linkNetnsId() == null ? Optional.of(ns.name())
        : ctx.host.resolveNsid(ns.name(), link.linkNetnsId());
    if (peerNs.isEmpty()) {
      ctx.finding(LayerKind.VETH, ns.name(), link.name(), "peer-unknown", Severity.WARNING,
          "the peer of " + link.name() + " is in a namespace layertrace cannot name (nsid " + link.linkNetnsId() + ")",
          "name the namespace (ip netns attach NAME PID) or run as root to see all processes");
      return Optional.empty();
    }
    NamespaceSnapshot peer = ctx.host.namespace(peerNs.get());
    return peer.link(link.link()).map(l -> new Arrival(peer.name(), l, EdgeKind.VETH_PEER, route));
  }

  @Override
  public Link ingress(PathContext ctx, NamespaceSnapshot ns, Arrival a) {
    Link link = a.link();
    String peer = link.linkNetnsId() == null ? null
        : ctx.host.resolveNsid(ns.name(), link.linkNetnsId()).orElse("nsid " + link.linkNetnsId());
    Layer l = PathContext.deviceLayer(LayerKind.VETH, ns, link);
    if (peer != null) {
      NamespaceSnapshot p = peer.startsWith("nsid ") ? null : ctx.host.namespace(peer);
      l = l.withPeer(peer + "/" + (p == null ? "if" + link.link() : p.linkName(link.link())));
    }
    ctx.via(a.edge()).add(l);
    LinkChecks.state(ctx, LayerKind.VETH, ns, link);
    if (link.master() != 0) {
      Link bridge = ns.link(link.master()).orElse(null);
      if (bridge != null && bridge.isBridge()) {
        bridges.port(ctx, ns, bridge);
        return bridge;
      }
      return link;
    }
    return bridges.unbridged(ctx, ns, link, a.previousRoute());
  }

  private static String name(Arrival a) {
    return a.netns() + "/" + a.link().name();
  }
}
