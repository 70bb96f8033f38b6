package dev.layertrace.discover;

import dev.layertrace.model.EdgeKind;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.Severity;
import dev.layertrace.netlink.Link;
import dev.layertrace.netlink.Route;
import java.util.List;
import java.util.Optional;

/**
 * A tap device: frames written to it go to the process holding its {@code /dev/net/tun} descriptor —
 * a VMM. When that process holds a second tap (the lab relay) the path continues on the far side; the
 * near tap is then the guest's NIC and the process a {@code vmm-link}.
 */
final class TapHandler implements LinkHandler {
  @Override
  public boolean handles(Link link) {
    return "tun".equals(link.kind());
  }

  @Override
  public Optional<Arrival> egress(PathContext ctx, NamespaceSnapshot ns, Link link, Route route) {
    List<TunHolder> holders = ctx.host.tunHolders().stream().filter(h -> h.holds(link.name(), ns.inode())).toList();
    // The holder most likely to hold this namespace's tap; a relay (two taps) wins a tie.
    Optional<TunHolder> best = holders.stream().max(java.util.Comparator
        .<TunHolder>comparingInt(h -> holderScore(ctx, h, ns.name())).thenComparingInt(h -> h.taps().size() > 1 ? 1 : 0));
    Optional<TunHolder> relay = best.filter(h -> h.taps().size() > 1);
    boolean guestSide = relay.isPresent() || holders.isEmpty();
    LayerKind kind = guestSide ? LayerKind.NIC : LayerKind.TAP;
    ctx.add(PathContext.deviceLayer(kind, ns, link)
        .withDetail("route", RouteText.describe(ns, route, ctx.request.destination())));
    LinkChecks.state(ctx, kind, ns, link);
    LinkChecks.nextHop(ctx, kind, ns, link, route);
    if (holders.isEmpty() && !ctx.host.seesVmm()) {
      // A guest's half: the VMM is the other kernel's business; an agent there continues the path.
      ctx.via(EdgeKind.VMM_LINK).add(Layer.of("vmm", LayerKind.VMM_LINK, null, null)
          .withDetail("far side", "the other kernel (outside this process's scope)"));
      ctx.handOff(ns, link, route);
      return Optional.empty();
    }
    if (holders.isEmpty()) {
      ctx.via(EdgeKind.VMM_LINK).add(Layer.of("vmm", LayerKind.VMM_LINK, null, null).withDetail("process", "none"));
      ctx.finding(LayerKind.VMM_LINK, null, null, "vmm-not-relaying", Severity.ERROR,
          "no process holds tap " + link.name() + " in " + ns.name() + ": nothing carries its frames across the VMM",
          "start the VMM (for the lab: layertrace lab down && layertrace lab up)",
          "no /proc/*/fdinfo entry says iff: " + link.name());
      return Optional.empty();
    }
    TunHolder h = best.orElseThrow();
    Layer vmm = vmmLayer(h);
    stoppedFinding(ctx, h);
    if (relay.isEmpty()) {
      ctx.handOff(ns, link, route);
      ctx.via(EdgeKind.VMM_LINK).add(vmm.withDetail("far side", "a guest kernel (not visible from this host)"));
      ctx.notes.add("tap " + link.name() + " leads into a VM's kernel; its path inside the guest is not visible");
      return Optional.empty();
    }
    for (String other : h.taps()) {
      if (other.equals(link.name())) {
        continue;
      }
      Optional<Arrival> far = findTap(ctx, ns, link, other, h.namespaceOf(other), route);
      if (far.isPresent()) {
        ctx.replaceLast(ctx.last().withPeer(far.get().netns() + "/" + other));
        ctx.via(EdgeKind.VMM_LINK).add(vmm.withPeer(far.get().netns() + "/" + other));
        return far;
      }
    }
    ctx.via(EdgeKind.VMM_LINK).add(vmm);
    ctx.handOff(ns, link, route);
    ctx.notes.add("the VMM holds " + h.taps() + " but none of the other taps was found in a known namespace");
    return Optional.empty();
  }

  /**
   * The first layer of a far half (see {@link PathResolver#resolveFromTap}): the VMM process that
   * holds {@code tap}, with its state, and the finding when it is stopped.
   */
  static void vmmFacing(PathContext ctx, NamespaceSnapshot ns, Link tap) {
    List<TunHolder> holders = ctx.host.tunHolders().stream().filter(h -> h.holds(tap.name(), ns.inode())).toList();
    Optional<TunHolder> best = holders.stream()
        .max(java.util.Comparator.comparingInt(h -> holderScore(ctx, h, ns.name())));
    if (best.isEmpty()) {
      ctx.add(Layer.of("vmm", LayerKind.VMM_LINK, null, null).withDetail("process", "none"));
      ctx.finding(LayerKind.VMM_LINK, null, null, "vmm-not-relaying", Severity.ERROR,
          "no process holds tap " + tap.name() + " in " + ns.name() + ": nothing carries the guest's frames to it",
          "start the VMM", "no /proc/*/fdinfo entry says iff: " + tap.name());
      return;
    }
    TunHolder h = best.get();
    ctx.add(vmmLayer(h));
    stoppedFinding(ctx, h);
  }

  /** The VMM link layer of the process {@code h}: its pid, command, state and taps. */
  private static Layer vmmLayer(TunHolder h) {
    Layer l = Layer.of("vmm", LayerKind.VMM_LINK, null, null)
        .withDetail("pid", Integer.toString(h.pid())).withDetail("process", abbreviate(h.command()))
        .withDetail("state", h.state()).withDetail("taps", String.join(",", h.taps()));
    if (h.vm() == null) {
      return l;
    }
    l = l.withDetail("vm", h.vm().state()).withDetail("vm state from", h.vm().source());
    return h.vm().running() ? l : l.withDetail("resume", h.vm().resumeCommand());
  }

  /** A stopped VMM copies no frames: the finding that says so, with the way to resume it. */
  private static void stoppedFinding(PathContext ctx, TunHolder h) {
    if (h.signalStopped()) {
      ctx.finding(LayerKind.VMM_LINK, null, null, "vmm-not-relaying", Severity.ERROR,
          "the VMM process " + h.pid() + " (" + h.command() + ") is stopped: it copies no frames",
          "kill -CONT " + h.pid(), "/proc/" + h.pid() + "/stat state " + h.state());
    } else if (h.stopped()) {
      // The process runs, its VM does not: vCPUs and the NIC backend are still, the guest is frozen.
      ctx.finding(LayerKind.VMM_LINK, null, null, "vmm-not-relaying", Severity.ERROR,
          "the VM of VMM process " + h.pid() + " (" + abbreviate(h.command()).split(" ")[0] + ") is " + h.vm().state()
              + ": it reads nothing from its tap and its guest kernel is frozen",
          h.vm().resumeCommand(), h.vm().source() + ": " + h.vm().state());
    }
  }

  @Override
  public Optional<Arrival> far(PathContext ctx, NamespaceSnapshot ns, Link link, Route route) {
    return Optional.empty();
  }

  @Override
  public Link ingress(PathContext ctx, NamespaceSnapshot ns, Arrival a) {
    ctx.via(a.edge()).add(PathContext.deviceLayer(LayerKind.TAP, ns, a.link()));
    LinkChecks.state(ctx, LayerKind.TAP, ns, a.link());
    return a.link();
  }

  /**
   * fdinfo names a tap but not its namespace, and several namespaces may have a tun device of that
   * name. Where the kernel told the tap's namespace ({@code kernelSays}, TUNGETDEVNETNS) only that
   * one counts. Otherwise ranked: the device whose MAC the near side's neighbour entry for the next hop holds (an
   * L2 fact), then one sharing a subnet with the near tap, then the namespace name closest to the
   * near one; a remaining tie is noted.
   */
  private static Optional<Arrival> findTap(PathContext ctx, NamespaceSnapshot near, Link nearLink, String ifname,
      long kernelSays, Route route) {
    String hop = route.gateway() != null ? route.gateway() : ctx.request.destination();
    String hopMac = near.neighbour(nearLink.index(), hop).map(n -> n.lladdr()).orElse(null);
    List<String> nearNets = near.cidrs(nearLink.index());
    Arrival best = null;
    int bestScore = -1;
    int ties = 0;
    // Only the namespace the kernel named, or else those that have a device of that name: reading all of
    // a big host's would cost ~1 ms each, and even looking for the device in each ~0.1 ms.
    List<String> candidates = kernelSays != 0 ? ctx.host.namespacesWithInode(kernelSays)
        : ctx.host.namespacesWithDevice(ifname);
    for (String name : candidates.stream().sorted().toList()) {
      if (name.equals(near.name())) {
        continue;
      }
      NamespaceSnapshot ns;
      try {
        ns = ctx.host.namespace(name);
      } catch (dev.layertrace.LayertraceException gone) {
        continue; // removed since the inventory was taken
      }
      Optional<Link> l = ns.link(ifname).filter(x -> "tun".equals(x.kind()));
      if (l.isEmpty() || (kernelSays != 0 && ns.inode() != kernelSays)) {
        continue; // not a tap, or not the one the kernel says the VMM holds
      }
      int score = commonPrefix(name, near.name());
      if (ns.addresses().stream().filter(a -> a.ifindex() == l.get().index())
          .anyMatch(a -> nearNets.stream().anyMatch(c -> Cidrs.sameSubnet(c, a.address())))) {
        score += 1_000;
      }
      if (hopMac != null && hopMac.equals(l.get().mac())) {
        score += 1_000_000;
      }
      if (score > bestScore) {
        best = new Arrival(name, l.get(), EdgeKind.VMM_LINK, route);
        bestScore = score;
        ties = 0;
      } else if (score == bestScore) {
        ties++;
      }
    }
    if (best != null && ties > 0) {
      ctx.notes.add("tap " + ifname + " exists in " + (ties + 1) + " namespaces; took " + best.netns()
          + " (no neighbour MAC told them apart)");
    }
    return Optional.ofNullable(best);
  }

  /**
   * Where the kernel could not say which namespace a holder's tap is in (see {@link TunHolder#tapNetns}),
   * several processes may hold a tap of the same name: prefer the one running in this namespace, then
   * the one whose command line names this namespace and not another one.
   */
  private static int holderScore(PathContext ctx, TunHolder h, String netns) {
    List<String> words = List.of(h.command().split("[\\s=]+"));
    int score = 0;
    if (h.netnsInode() != 0 && h.netnsInode() == inodeOf(ctx, netns)) {
      score += 4; // it runs in the tap's namespace: the usual way a VMM opens its tap
    }
    for (String w : words) {
      String name = w.startsWith("/run/netns/") ? w.substring("/run/netns/".length()) : w;
      if (name.equals(netns)) {
        score += 2;
      } else if (ctx.host.namespaceNames().contains(name)) {
        score -= 1;
      }
    }
    return score;
  }

  private static long inodeOf(PathContext ctx, String netns) {
    try {
      return ctx.host.namespace(netns).inode();
    } catch (dev.layertrace.LayertraceException gone) {
      return -1;
    }
  }

  /** A command line shortened to what identifies the process: program paths to their names, no class path. */
  static String abbreviate(String command) {
    StringBuilder b = new StringBuilder();
    String[] words = command.split(" ");
    for (int i = 0; i < words.length; i++) {
      String w = words[i];
      if ((w.equals("-cp") || w.equals("-classpath")) && i + 1 < words.length) {
        i++;
        continue;
      }
      if (w.startsWith("-X") || w.startsWith("-D")) {
        continue; // JVM options say nothing about which VMM this is
      }
      if (w.contains("/") && !w.startsWith("/run/netns/") && !w.startsWith("/proc/")) {
        w = w.substring(w.lastIndexOf('/') + 1);
      } else if (w.matches("([a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*")) {
        w = w.substring(w.lastIndexOf('.') + 1); // a Java main class: its simple name
      }
      b.append(b.length() == 0 ? "" : " ").append(w);
    }
    return b.length() <= 160 ? b.toString() : b.substring(0, 159) + "…";
  }

  private static int commonPrefix(String a, String b) {
    int n = 0;
    while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
      n++;
    }
    return n;
  }
}
