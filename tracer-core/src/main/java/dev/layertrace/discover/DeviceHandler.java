package dev.layertrace.discover;

import dev.layertrace.model.EdgeKind;
import dev.layertrace.model.LayerKind;
import dev.layertrace.netlink.Link;
import dev.layertrace.netlink.Route;
import java.util.Optional;

/** Any other device (a physical NIC, virtio_net, a dummy): the path leaves what this host can follow. */
final class DeviceHandler implements LinkHandler {
  @Override
  public boolean handles(Link link) {
    return true;
  }

  @Override
  public Optional<Arrival> egress(PathContext ctx, NamespaceSnapshot ns, Link link, Route route) {
    ctx.add(PathContext.deviceLayer(LayerKind.UPLINK, ns, link)
        .withDetail("route", RouteText.describe(ns, route, ctx.request.destination())));
    LinkChecks.state(ctx, LayerKind.UPLINK, ns, link);
    LinkChecks.nextHop(ctx, LayerKind.UPLINK, ns, link, route);
    // In a guest this device is the virtio NIC: an agent on the host may continue from here.
    ctx.handOff(ns, link, route);
    return Optional.empty();
  }

  @Override
  public Optional<Arrival> far(PathContext ctx, NamespaceSnapshot ns, Link link, Route route) {
    return Optional.empty();
  }

  @Override
  public Link ingress(PathContext ctx, NamespaceSnapshot ns, Arrival a) {
    ctx.via(a.edge() == null ? EdgeKind.ROUTE : a.edge()).add(PathContext.deviceLayer(LayerKind.NIC, ns, a.link()));
    LinkChecks.state(ctx, LayerKind.NIC, ns, a.link());
    return a.link();
  }
}
