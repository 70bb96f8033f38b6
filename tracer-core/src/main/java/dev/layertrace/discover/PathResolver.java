package dev.layertrace.discover;

import dev.layertrace.model.EdgeKind;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Severity;
import dev.layertrace.netlink.FlowQuery;
import dev.layertrace.netlink.Link;
import dev.layertrace.netlink.Route;
import java.util.List;
import java.util.Optional;

/**
 * Walks the path a packet takes from a source namespace to a destination, asking each namespace's
 * kernel for its routing decision (with the input interface where the packet arrives), crossing veth
 * pairs, bridges and VMM taps with one {@link LinkHandler} per link kind, and records each layer's
 * facts and the static findings.
 */
public final class PathResolver {
  /** More namespaces than any sane path crosses: the walk stops there (a routing loop). */
  private static final int MAX_NAMESPACES = 16;

  private final HostView host;
  private final NetfilterHook netfilter;
  private final List<LinkHandler> handlers =
      List.of(new VethHandler(), new BridgeHandler(), new TapHandler(), new DeviceHandler());

  public PathResolver(HostView host, NetfilterHook netfilter) {
    this.host = host;
    this.netfilter = netfilter == null ? NetfilterHook.NONE : netfilter;
  }

  public DiscoveredPath resolve(PathRequest request) {
    PathContext ctx = new PathContext(host, request, netfilter);
    NamespaceSnapshot src = host.namespace(request.sourceNetns());
    Optional<Arrival> next = source(ctx, src);
    walk(ctx, next);
    narrowestMtu(ctx);
    return new DiscoveredPath(PathGraph.linear(ctx.layers, ctx.edges), ctx.findings, ctx.notes, ctx.handoff);
  }

  /**
   * The far half of a path that another process (on the other kernel) resolved up to {@code h}: the
   * VMM that holds tap {@code tapIface} in {@code tapNetns}, the tap, and on to the destination, walked
   * with the source, the translated source and the MTU the near half handed over — so that the two
   * halves together equal what one process seeing both kernels would resolve.
   */
  public DiscoveredPath resolveFromTap(PathRequest request, Handoff h, String tapNetns, String tapIface) {
    PathContext ctx = new PathContext(host, request, netfilter);
    ctx.source = h.source();
    ctx.originalSource = h.originalSource();
    ctx.sourceMtu = h.sourceMtu();
    NamespaceSnapshot ns = host.namespace(tapNetns);
    Link tap = ns.link(tapIface).orElseThrow(() -> dev.layertrace.LayertraceException.usage(
        "no device " + tapIface + " in " + tapNetns));
    TapHandler.vmmFacing(ctx, ns, tap);
    Route handed = new Route(2, null, 0, null, 0, Route.RTN_UNICAST, 254, 0, 0, null, 0, 0, h.routeSource(), null, 0);
    Optional<Arrival> next = Optional.of(new Arrival(tapNetns, tap, EdgeKind.VMM_LINK, handed));
    walk(ctx, next);
    narrowestMtuOfHalf(ctx);
    return new DiscoveredPath(PathGraph.linear(ctx.layers, ctx.edges), ctx.findings, ctx.notes, null);
  }

  /** From one arrival to the next until the path ends (or loops, or crosses too many namespaces). */
  private void walk(PathContext ctx, Optional<Arrival> next) {
    int hops = 0;
    while (next.isPresent()) {
      if (++hops > MAX_NAMESPACES || !ctx.firstVisit(next.get().netns(), next.get().link().name())) {
        ctx.notes.add("the path returns to " + next.get().netns() + "/" + next.get().link().name() + ": a loop");
        break;
      }
      next = arrive(ctx, next.get());
    }
  }

  /** The container layer: the source namespace's own route for the flow and its output device. */
  private Optional<Arrival> source(PathContext ctx, NamespaceSnapshot ns) {
    FlowQuery q = new FlowQuery(ctx.request.destination(), null, 0, ctx.request.ipProtocol(), ctx.request.port());
    RouteAnswer a = host.routeFor(ns.name(), q);
    if (!a.ok()) {
      Link l = ns.links().stream().filter(x -> !x.loopback()).findFirst().orElse(null);
      ctx.add(l == null ? Layer.of(ns.name() + "/container", LayerKind.CONTAINER, ns.name(), null)
          : PathContext.deviceLayer(LayerKind.CONTAINER, ns, l).withDetail("route", "none"));
      ctx.finding(LayerKind.CONTAINER, ns.name(), l == null ? null : l.name(), "no-route", Severity.ERROR,
          ns.name() + " has no route to " + ctx.request.destination() + " (" + a.errnoName() + ")",
          l == null ? "give " + ns.name() + " a network interface"
              : "ip -n " + ns.name() + " route add default via <gateway> dev " + l.name(),
          "RTM_GETROUTE " + ctx.request.destination() + ": " + a.errnoName());
      return Optional.empty();
    }
    Route r = a.route();
    if (r.isLocal()) {
      ctx.add(Layer.of(ns.name() + "/local", LayerKind.REMOTE, ns.name(), ns.linkName(r.oif()))
          .withDetail("route", "local " + ctx.request.destination()));
      ctx.notes.add(ctx.request.destination() + " is an address of the source namespace itself");
      return Optional.empty();
    }
    Link out = ns.link(r.oif()).orElse(null);
    if (out == null) {
      ctx.notes.add("route names unknown ifindex " + r.oif());
      return Optional.empty();
    }
    ctx.originalSource = r.prefSrc();
    ctx.source = r.prefSrc();
    ctx.sourceMtu = out.mtu();
    Layer l = PathContext.deviceLayer(LayerKind.CONTAINER, ns, out)
        .withDetail("route", RouteText.describe(ns, r, ctx.request.destination()));
    if (r.prefSrc() != null) {
      l = l.withDetail("source", r.prefSrc());
    }
    ctx.add(l);
    LinkChecks.state(ctx, LayerKind.CONTAINER, ns, out);
    LinkChecks.nextHop(ctx, LayerKind.CONTAINER, ns, out, r);
    Optional<Arrival> far = handler(out).far(ctx, ns, out, r);
    far.ifPresent(f -> ctx.replaceLast(ctx.last().withPeer(f.netns() + "/" + f.link().name())));
    return far;
  }

  /** The packet arrives in a namespace: the local end, or ingress layers then the forwarding decision. */
  private Optional<Arrival> arrive(PathContext ctx, Arrival a) {
    NamespaceSnapshot ns = host.namespace(a.netns());
    if (ns.ownsAddress(ctx.request.destination())) {
      ctx.via(a.edge()).add(PathContext.deviceLayer(LayerKind.REMOTE, ns, a.link())
          .withDetail("route", "local " + ctx.request.destination()));
      LinkChecks.state(ctx, LayerKind.REMOTE, ns, a.link());
      return Optional.empty();
    }
    ctx.netfilter.approaching(ns.name());
    Link iif = handler(a.link()).ingress(ctx, ns, a);
    return forward(ctx, ns, iif, a);
  }

  private Optional<Arrival> forward(PathContext ctx, NamespaceSnapshot ns, Link iif, Arrival a) {
    FlowQuery q = new FlowQuery(ctx.request.destination(), ctx.source, iif.index(), ctx.request.ipProtocol(),
        ctx.request.port());
    RouteAnswer answer = host.routeFor(ns.name(), q);
    String queryNote = null;
    if (!answer.ok() && a.previousRoute() != null && isReversePathError(answer)) {
      // Without the NAT model the source may be the previous hop's translated address: ask with it.
      String translated = a.previousRoute().prefSrc();
      if (translated != null && !translated.equals(ctx.source)) {
        RouteAnswer retry = host.routeFor(ns.name(), q.withSrc(translated));
        if (retry.ok()) {
          queryNote = "asked with source " + translated + " (as translated upstream); " + ctx.source + " gave "
              + answer.errnoName();
          ctx.source = translated;
          answer = retry;
        }
      }
    }
    Integer ipForward = ns.sysctlInt("net.ipv4.ip_forward");
    Layer fwd = Layer.of(ns.name() + "/forwarding", LayerKind.FORWARDING, ns.name(), null)
        .withDetail("ip_forward", ipForward == null ? "unknown" : ipForward.toString())
        .withDetail("rp_filter", rpFilter(ns, iif.name()))
        .withDetail("input", iif.name());
    if (queryNote != null) {
      fwd = fwd.withDetail("kernel query", queryNote);
    }
    Route route = answer.route();
    if (!answer.ok()) {
      fwd = fwd.withDetail("kernel answer", answer.errnoName() + " for input " + iif.name());
      // Forwarding off or a reverse-path refusal still leaves the table's route: show where it points.
      RouteAnswer out = host.routeFor(ns.name(), FlowQuery.output(ctx.request.destination(), null));
      route = out.ok() ? out.route() : null;
    }
    fwd = fwd.withDetail("route", route == null ? "none" : RouteText.describe(ns, route, ctx.request.destination()));
    ctx.via(EdgeKind.ROUTE).add(fwd);
    if (ipForward != null && ipForward == 0) {
      ctx.finding(LayerKind.FORWARDING, ns.name(), null, "forwarding-disabled", Severity.ERROR,
          ns.name() + " does not forward packets (net.ipv4.ip_forward = 0)",
          "ip netns exec " + ns.name() + " sysctl -w net.ipv4.ip_forward=1", "net.ipv4.ip_forward = 0");
    } else if (!answer.ok() && isReversePathError(answer)) {
      ctx.finding(LayerKind.FORWARDING, ns.name(), null, "reverse-path-filtered", Severity.WARNING,
          "the kernel refuses source " + ctx.source + " on " + iif.name() + " (" + answer.errnoName() + ")",
          "add a route back to " + ctx.source + " in " + ns.name() + ", or relax rp_filter",
          "rp_filter " + rpFilter(ns, iif.name()));
    }
    if (route == null || route.type() != Route.RTN_UNICAST || route.oif() == 0) {
      noRoute(ctx, ns, route);
      return Optional.empty();
    }
    Link out = ns.link(route.oif()).orElse(null);
    if (out == null) {
      return Optional.empty();
    }
    // A forwarded route carries no preferred source; masquerade uses the out device's primary address.
    String egressAddress = route.prefSrc() != null ? route.prefSrc()
        : ns.cidrs(out.index()).stream().filter(c -> c.indexOf(':') < 0).findFirst()
            .map(c -> c.substring(0, c.indexOf('/') < 0 ? c.length() : c.indexOf('/'))).orElse(null);
    NetfilterHook.Decision d = ctx.netfilter.forward(new NetfilterHook.ForwardedFlow(ns.name(), ctx.source,
        ctx.request.destination(), ctx.request.protocol(), ctx.request.port(), iif.name(), out.name(),
        egressAddress));
    Layer filter = Layer.of(ns.name() + "/filter", LayerKind.FILTER, ns.name(), null);
    for (var e : d.filter().entrySet()) {
      filter = filter.withDetail(e.getKey(), e.getValue());
    }
    String nf = ns.sysctls().get("net.bridge.bridge-nf-call-iptables");
    if (nf != null) {
      filter = filter.withDetail("bridge-nf-call-iptables", nf);
    }
    ctx.via(EdgeKind.NETFILTER).add(filter);
    Layer nat = Layer.of(ns.name() + "/nat", LayerKind.NAT, ns.name(), null);
    for (var e : d.nat().entrySet()) {
      nat = nat.withDetail(e.getKey(), e.getValue());
    }
    ctx.via(EdgeKind.NETFILTER).add(nat);
    ctx.findings.addAll(d.findings());
    if (d.translatedSource() != null) {
      ctx.source = d.translatedSource();
    }
    ctx.via(d.translatedSource() != null ? EdgeKind.NAT : EdgeKind.ROUTE);
    return handler(out).egress(ctx, ns, out, route);
  }

  /**
   * No usable route out of a forwarding namespace. When a device is down its routes are gone with it:
   * show that device (as the layer it would have been) with link-down, and the missing route as a
   * warning; otherwise the missing route is the error.
   */
  private void noRoute(PathContext ctx, NamespaceSnapshot ns, Route route) {
    Optional<Link> down = ns.links().stream()
        .filter(l -> !l.loopback() && !l.adminUp() && !l.isBridge() && !ns.cidrs(l.index()).isEmpty())
        .findFirst();
    String what = route == null ? "no route" : "a " + route.typeWord() + " route";
    ctx.finding(LayerKind.FORWARDING, ns.name(), null, "no-route", down.isPresent() ? Severity.WARNING : Severity.ERROR,
        ns.name() + " has " + what + " to " + ctx.request.destination()
            + down.map(l -> " (its routes through " + l.name() + " went away when it went down)").orElse(""),
        down.map(l -> "ip -n " + ns.name() + " link set " + l.name() + " up")
            .orElse("ip -n " + ns.name() + " route add default via <gateway>"));
    if (down.isPresent()) {
      Link l = down.get();
      LayerKind kind = "tun".equals(l.kind()) ? LayerKind.NIC : LayerKind.UPLINK;
      ctx.via(EdgeKind.ROUTE).add(PathContext.deviceLayer(kind, ns, l));
      LinkChecks.state(ctx, kind, ns, l);
    }
  }

  /** As {@link #narrowestMtu} for a far half, whose first layer is the VMM link, not the source. */
  private static void narrowestMtuOfHalf(PathContext ctx) {
    Layer narrowest = null;
    for (Layer l : ctx.layers) {
      if (l.mtu() != null && ctx.sourceMtu > 0 && l.mtu() < ctx.sourceMtu
          && (narrowest == null || l.mtu() < narrowest.mtu())) {
        narrowest = l;
      }
    }
    if (narrowest != null) {
      ctx.finding(narrowest.kind(), narrowest.netns(), narrowest.iface(), "mtu-exceeded", Severity.WARNING,
          "the source sends up to " + ctx.sourceMtu + " bytes but " + narrowest.id() + " carries only "
              + narrowest.mtu() + ": full-size packets with DF set stop there unless ICMP 'fragmentation needed'"
              + " gets back", null, "mtu " + narrowest.id() + " " + narrowest.mtu());
    }
  }

  /** One finding at the first device narrower than the source: big packets stop there. */
  private static void narrowestMtu(PathContext ctx) {
    if (ctx.layers.isEmpty() || ctx.sourceMtu <= 0) {
      return;
    }
    Layer narrowest = null;
    for (Layer l : ctx.layers.subList(1, ctx.layers.size())) {
      if (l.mtu() != null && l.mtu() < ctx.sourceMtu && (narrowest == null || l.mtu() < narrowest.mtu())) {
        narrowest = l;
      }
    }
    Layer first = ctx.layers.get(0);
    if (narrowest == null) {
      ctx.layers.set(0, first.withDetail("path_mtu", Integer.toString(ctx.sourceMtu)));
      return;
    }
    ctx.layers.set(0, first.withDetail("path_mtu", narrowest.mtu() + " (" + narrowest.id() + ")"));
    ctx.finding(narrowest.kind(), narrowest.netns(), narrowest.iface(), "mtu-exceeded", Severity.WARNING,
        first.id() + " sends up to " + ctx.sourceMtu + " bytes but " + narrowest.id() + " carries only "
            + narrowest.mtu() + ": full-size packets with DF set stop there unless ICMP 'fragmentation needed' gets back",
        "ip -n " + first.netns() + " link set " + first.iface() + " mtu " + narrowest.mtu(),
        "mtu " + first.id() + " " + ctx.sourceMtu, "mtu " + narrowest.id() + " " + narrowest.mtu());
  }

  private static boolean isReversePathError(RouteAnswer a) {
    return "EXDEV".equals(a.errnoName()) || "EINVAL".equals(a.errnoName());
  }

  /** The effective rp_filter for an input device: the larger of {@code all} and the device's own. */
  private static String rpFilter(NamespaceSnapshot ns, String ifname) {
    Integer all = ns.sysctlInt("net.ipv4.conf.all.rp_filter");
    Integer dev = ns.sysctlInt("net.ipv4.conf." + ifname + ".rp_filter");
    if (all == null && dev == null) {
      return "unknown";
    }
    return Integer.toString(Math.max(all == null ? 0 : all, dev == null ? 0 : dev));
  }

  private LinkHandler handler(Link l) {
    return handlers.stream().filter(h -> h.handles(l)).findFirst().orElseThrow();
  }
}
