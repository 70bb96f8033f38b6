package dev.layertrace.discover;

import dev.layertrace.netlink.Link;
import dev.layertrace.netlink.Route;
import java.util.Optional;

/** What path resolution does at one kind of link (veth, bridge, tap, other), as plotnetcfg's handlers. */
interface LinkHandler {
  boolean handles(Link link);

  /**
   * The packet leaves a forwarding namespace on {@code link} by {@code route}: add the layers of the
   * way out and say where it arrives next, if it can be followed.
   */
  Optional<Arrival> egress(PathContext ctx, NamespaceSnapshot ns, Link link, Route route);

  /** Where a frame sent on {@code link} arrives, without adding layers (the source's own link). */
  Optional<Arrival> far(PathContext ctx, NamespaceSnapshot ns, Link link, Route route);

  /** The packet arrives on {@code a.link()}: add the layers; returns the link the kernel routes it from. */
  Link ingress(PathContext ctx, NamespaceSnapshot ns, Arrival a);
}
