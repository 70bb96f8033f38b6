package dev.layertrace.verdict;

import dev.layertrace.model.Direction;
import dev.layertrace.model.Finding;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.LayerRef;
import dev.layertrace.model.Observation;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Severity;
import dev.layertrace.model.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns what one probe left behind into a {@link Verdict}: the layer where the request or the reply
 * stopped, the cause, the evidence (each item citing its source) and a fix. Pure and deterministic.
 *
 * <p>The order of the rules follows what the kernel showed in the lab (DESIGN.md): a failed send
 * decides first; a reply at the source means reached; a decisive drop reason (ip_forward off, a
 * netfilter drop, a too-big packet, a bridge without a target) names its layer; a device that is
 * down explains weak signals (no route, no neighbour); an unanswered ARP names a wrong next hop or a
 * dead link; a request that left a guest NIC and never reached the host tap stopped in the VMM; and a
 * request that arrived without an answer is a lost reply, usually a NAT that did not translate.
 */
public final class VerdictEngine {
  private VerdictEngine() {}

  public static Verdict decide(TraceFacts f) {
    if (f.graph().path().isEmpty()) {
      return new Verdict(f.probe().id(), Outcome.ERROR, null, "no-path", "Discovery found no path to trace along.",
          List.of(), null);
    }
    return new Run(f).decide();
  }

  /** One decision: the facts, the path view, and the evidence gathered so far. */
  private static final class Run {
    private final TraceFacts f;
    private final PathView v;
    private final int last;
    private final List<String> evidence = new ArrayList<>();

    Run(TraceFacts f) {
      this.f = f;
      this.v = new PathView(f.graph().toPath(), f.observations());
      this.last = v.lastSeenRequest();
    }

    Verdict decide() {
      if (!f.send().sent()) {
        return sendFailed();
      }
      citeLastSeen();
      Optional<Observation> answer = answerAtSource();
      if (answer.isPresent()) {
        evidence.add(PathView.cite(answer.get()));
        return verdict(Outcome.REACHED, null, "reached", "The request reached " + v.last().ref().label()
            + " and its answer came back to the source.", null);
      }
      Optional<DropEvent> decisive = firstDrop(true);
      if (decisive.isPresent()) {
        return fromDrop(decisive.get(), DropReasons.decisive(decisive.get().reason()).orElseThrow());
      }
      Optional<Finding> down = linkDownFinding();
      if (down.isPresent()) {
        return fromFinding(down.get());
      }
      Optional<Verdict> icmp = fromIcmpError();
      if (icmp.isPresent()) {
        return icmp.get();
      }
      Optional<DropEvent> weak = firstDrop(false);
      if (weak.isPresent()) {
        return fromDrop(weak.get(), DropReasons.weak(weak.get().reason()).orElseThrow());
      }
      Optional<Verdict> arp = fromUnansweredArp();
      if (arp.isPresent()) {
        return arp.get();
      }
      Optional<Verdict> vmm = fromVmmBoundary();
      if (vmm.isPresent()) {
        return vmm.get();
      }
      if (last == v.hops.size() - 1) {
        return replyLost();
      }
      Optional<Finding> other = errorFinding();
      if (other.isPresent()) {
        return fromFinding(other.get());
      }
      return unexplained();
    }

    // --- the rules -------------------------------------------------------------------------------

    private Verdict sendFailed() {
      Layer src = v.source();
      evidence.add("send " + src.netns() + ": sendto failed with " + f.send().errno()
          + (f.send().message() == null ? "" : " (" + f.send().message() + ")") + "; no packet was sent");
      switch (f.send().errno()) {
        case "ENETUNREACH", "EHOSTUNREACH" -> {
          Optional<Finding> down = findings(src.netns()).stream().filter(x -> "link-down".equals(x.code())).findFirst();
          if (down.isPresent()) {
            return fromFinding(down.get());
          }
          String gw = gatewayFor(0).orElse("GATEWAY");
          return verdict(Outcome.STOPPED, src.ref(), "no-route", "The source has no route to " + f.probe().dst()
              + ": the kernel refused to send (" + f.send().errno() + ") before any packet existed, so no"
              + " interface saw anything.", FixCommands.defaultRoute(src.netns(), gw, src.iface()));
        }
        case "EMSGSIZE" -> {
          return verdict(Outcome.STOPPED, src.ref(), "mtu-exceeded", "The probe (" + f.probe().size()
              + " bytes, DF) is larger than the source interface's MTU" + (src.mtu() == null ? "" : " (" + src.mtu()
              + ")") + ".", null);
        }
        case "EPERM", "EACCES" -> {
          return verdict(Outcome.STOPPED, LayerRef.of(LayerKind.FILTER, src.netns(), null), "filtered",
              "A netfilter OUTPUT rule in " + src.netns() + " refused the probe (" + f.send().errno() + ").", null);
        }
        default -> {
          return verdict(Outcome.ERROR, src.ref(), "send-failed", "The probe could not be sent: "
              + f.send().errno() + ".", null);
        }
      }
    }

    /** The reply that ends the trace well: an echo reply, SYN-ACK/RST, or "unreachable" from the destination itself. */
    private Optional<Observation> answerAtSource() {
      return v.at(0, Direction.REPLY).stream().filter(o -> !o.outgoing())
          .filter(o -> !isIcmpError(o) || Objects.equals(o.packet().src(), f.probe().dst()))
          .findFirst();
    }

    private Optional<DropEvent> firstDrop(boolean decisive) {
      return f.drops().stream()
          .filter(d -> !DropReasons.noise(d.reason()))
          .filter(d -> decisive ? DropReasons.decisive(d.reason()).isPresent() : DropReasons.weak(d.reason()).isPresent())
          .filter(d -> d.subject() != DropEvent.Subject.UNBOUND)
          .filter(d -> d.direction() != Direction.REPLY || last == v.hops.size() - 1)
          .min(Comparator.comparingInt(this::kernelOrder).thenComparingLong(DropEvent::timeNs));
    }

    /**
     * Where the drop's kernel starts on the path. Two kernels' clocks are not comparable: a merged
     * trace orders drops of different kernels by path and only drops of one kernel by time.
     */
    private int kernelOrder(DropEvent d) {
      String kernel = d.layerId() == null ? null : f.graph().layer(d.layerId()).map(Layer::kernel).orElse(null);
      if (kernel == null) {
        return 0;
      }
      for (int i = 0; i < v.hops.size(); i++) {
        if (kernel.equals(v.hops.get(i).kernel())) {
          return i;
        }
      }
      return 0;
    }

    private Verdict fromDrop(DropEvent d, DropReasons.Meaning m) {
      evidence.add(d.cite());
      String ns = d.netns() != null ? d.netns() : namespaceOf(Math.max(last, 0));
      int from = d.layerId() != null ? v.indexOf(d.layerId()) : Math.max(last, 0);
      LayerRef where;
      String fix = null;
      if (m.egress()) {
        Optional<Layer> out = v.egress(ns, from);
        where = out.map(Layer::ref).orElse(LayerRef.of(LayerKind.NIC, ns, null));
        if (out.isPresent() && "mtu-exceeded".equals(m.cause())) {
          fix = FixCommands.mtu(out.get(), f.probe().size());
        }
      } else {
        where = v.ref(m.kind(), ns, from);
      }
      Outcome outcome = d.direction() == Direction.REPLY ? Outcome.REPLY_LOST : Outcome.STOPPED;
      String expl = (outcome == Outcome.REPLY_LOST ? "The reply" : "The request") + " died in " + ns + ": " + m.what()
          + " (kfree_skb at " + d.location() + ", reason " + d.reason() + ").";
      if (fix == null) {
        fix = fixFor(m.cause(), where, ns, from);
      }
      addRelated(where);
      return verdict(outcome, where, m.cause(), expl, fix);
    }

    /** A device on the rest of the path that discovery found down: it explains silence and weak signals. */
    private Optional<Finding> linkDownFinding() {
      for (int i = Math.max(0, last); i < v.hops.size(); i++) {
        Layer l = v.hops.get(i);
        for (Finding x : f.findings()) {
          if (x.severity() == Severity.ERROR && "link-down".equals(x.code()) && matches(x.layer(), l)) {
            return Optional.of(x);
          }
        }
      }
      return Optional.empty();
    }

    private Optional<Finding> errorFinding() {
      for (int i = Math.max(0, last); i < v.hops.size(); i++) {
        Layer l = v.hops.get(i);
        for (Finding x : f.findings()) {
          if (x.severity() == Severity.ERROR && matches(x.layer(), l)) {
            return Optional.of(x);
          }
        }
      }
      return Optional.empty();
    }

    private Verdict fromFinding(Finding x) {
      evidence.add("finding " + (x.layer() == null ? "" : x.layer().label() + ": ") + x.message());
      x.evidence().forEach(e -> evidence.add("finding " + (x.layer() == null ? "" : x.layer().label() + ": ") + e));
      String fix = x.fix();
      if (fix == null && "link-down".equals(x.code()) && x.layer() != null) {
        fix = f.graph().find(x.layer()).map(FixCommands::linkUp).orElse(null);
      }
      String seen = last < 0 ? "The request was seen nowhere" : "The request was last seen at "
          + v.hops.get(last).ref().label();
      addRelated(x.layer());
      return verdict(Outcome.STOPPED, x.layer(), x.code(), seen + "; " + x.message() + ".", fix);
    }

    /** An ICMP error a router sent back about the probe: frag-needed, TTL exceeded, unreachable. */
    private Optional<Verdict> fromIcmpError() {
      for (Observation o : v.replies()) {
        if (!isIcmpError(o) || Objects.equals(o.packet().src(), f.probe().dst())) {
          continue;
        }
        evidence.add(PathView.cite(o));
        int sender = v.owner(o.packet().src()).orElse(Math.max(last, 0));
        String ns = v.hops.get(sender).netns();
        int type = o.packet().icmpType();
        int mtu = o.packet().icmpSeq() == null ? 0 : o.packet().icmpSeq();
        if (type == 3 && mtu > 0) {
          Optional<Layer> out = v.egress(ns, Math.max(last, sender));
          LayerRef where = out.map(Layer::ref).orElse(LayerRef.of(LayerKind.NIC, ns, null));
          return Optional.of(verdict(Outcome.STOPPED, where, "mtu-exceeded", "The probe (" + f.probe().size()
              + " bytes, DF) does not fit the next link (MTU " + mtu + "); " + o.packet().src()
              + " said so with ICMP fragmentation-needed.", out.map(l -> FixCommands.mtu(l, f.probe().size())).orElse(null)));
        }
        if (type == 11) {
          return Optional.of(verdict(Outcome.STOPPED, v.ref(LayerKind.FORWARDING, ns, sender), "ttl-exceeded",
              "The probe's TTL (" + f.probe().ttl() + ") ran out at " + o.packet().src() + ".", null));
        }
        return Optional.of(verdict(Outcome.STOPPED, v.ref(LayerKind.FORWARDING, ns, sender), "no-route",
            o.packet().src() + " answered that the destination is unreachable from " + ns + ".", null));
      }
      return Optional.empty();
    }

    /** An ARP request on the path that nobody answered, and the probe that never left after it. */
    private Optional<Verdict> fromUnansweredArp() {
      for (ArpSighting a : f.arp()) {
        if (!a.request() || !a.outgoing()) {
          continue;
        }
        int at = v.indexOf(a.layerId());
        if (at < 0 || at < last && v.requestAt(at).map(Observation::outgoing).orElse(false)) {
          continue;
        }
        boolean answered = f.arp().stream().anyMatch(r -> !r.request() && r.layerId().equals(a.layerId())
            && r.senderIp().equals(a.targetIp()));
        boolean probeLeft = v.at(at, Direction.REQUEST).stream().anyMatch(Observation::outgoing) && at != last;
        if (answered || probeLeft || at > last + 1 && last >= 0 && !sameNamespace(at, last)) {
          continue;
        }
        Layer l = v.hops.get(at);
        evidence.add("arp " + a.layerId() + ": " + a.describe() + " — no answer");
        Optional<Integer> owner = v.owner(a.targetIp());
        if (owner.isEmpty()) {
          Optional<String> gw = peerAddress(at);
          return Optional.of(verdict(Outcome.STOPPED, l.ref(), "neighbor-unresolved", "The next hop "
              + a.targetIp() + " never answered ARP on " + l.ref().label() + ": no layer of the path has that"
              + " address (a wrong gateway?), so the probe waited in the neighbour table and was dropped.",
              gw.map(g -> FixCommands.defaultRoute(l.netns(), g, l.iface())).orElse(null)));
        }
        return Optional.of(linkBetween(at, owner.get(), "the ARP for " + a.targetIp()));
      }
      return Optional.empty();
    }

    /** The request left a device and never reached the next device, which is across a VMM link. */
    private Optional<Verdict> fromVmmBoundary() {
      if (last < 0 || last >= v.hops.size() - 1) {
        return Optional.empty();
      }
      boolean left = v.at(last, Direction.REQUEST).stream().anyMatch(Observation::outgoing);
      int next = nextDevice(last);
      if (!left || next < 0) {
        return Optional.empty();
      }
      return Optional.of(linkBetween(last, next, "the request"));
    }

    private Verdict linkBetween(int from, int to, String what) {
      for (int i = from + 1; i < to; i++) {
        Layer l = v.hops.get(i);
        if (l.kind() == LayerKind.VMM_LINK) {
          String pid = l.details().get("pid");
          String vm = l.details().get("vm");
          if (vm != null && !vm.equals("running")) {
            evidence.add(l.details().get("vm state from") + ": the VM is " + vm);
          }
          return verdict(Outcome.STOPPED, l.ref(), "vmm-not-relaying", capitalize(what) + " left "
              + v.hops.get(from).ref().label() + " but never arrived at " + v.hops.get(to).ref().label()
              + ": both sides are up, so the VMM between the two kernels is not copying frames"
              + (vm != null && !vm.equals("running") ? " (its VM is " + vm + ")." : "."),
              l.details().containsKey("resume") ? l.details().get("resume")
                  : pid == null ? null : "kill -CONT " + pid + "   # or restart the VMM process " + pid);
        }
      }
      Layer target = v.hops.get(to);
      return verdict(Outcome.STOPPED, target.ref(), "link-down", capitalize(what) + " left "
          + v.hops.get(from).ref().label() + " but never arrived at " + target.ref().label() + ".",
          target.iface() == null ? null : FixCommands.linkUp(target));
    }

    /** The request arrived at the far end and nothing came back. */
    private Verdict replyLost() {
      List<Observation> replies = v.replies();
      Layer remote = v.last();
      if (replies.isEmpty()) {
        Optional<Verdict> nat = untranslated();
        if (nat.isPresent()) {
          return nat.get();
        }
        String why = f.probe().protocol() == dev.layertrace.model.Protocol.UDP
            ? " A closed UDP port is answered with ICMP port-unreachable, which the kernel rate-limits per peer"
                + " (net.ipv4.icmp_ratelimit): many UDP probes at once may go unanswered." : "";
        return verdict(Outcome.REPLY_LOST, remote.ref(), "no-reply", "The request arrived at "
            + remote.ref().label() + " with a routable source, but no reply was seen anywhere." + why, null);
      }
      int furthest = replies.stream().mapToInt(o -> v.indexOf(o.layerId())).filter(i -> i >= 0).min().orElse(0);
      evidence.add(PathView.cite(replies.stream().filter(o -> v.indexOf(o.layerId()) == furthest).findFirst()
          .orElseThrow()));
      int lostAt = Math.max(0, furthest - 1);
      Layer l = v.hops.get(lostAt);
      return verdict(Outcome.REPLY_LOST, l.ref(), "reply-dropped", "The reply came back as far as "
          + v.hops.get(furthest).ref().label() + " and was not seen at " + l.ref().label() + ".", null);
    }

    /** The first NAT layer whose namespace let the request out with the source it came in with. */
    private Optional<Verdict> untranslated() {
      for (int i = 0; i < v.hops.size(); i++) {
        Layer nat = v.hops.get(i);
        if (nat.kind() != LayerKind.NAT) {
          continue;
        }
        List<Integer> devs = v.devices(nat.netns());
        if (devs.size() < 2) {
          continue;
        }
        Optional<Observation> in = v.requestAt(devs.get(0));
        int outIdx = devs.get(devs.size() - 1);
        Optional<Observation> out = v.requestAt(outIdx);
        if (in.isEmpty() || out.isEmpty() || !in.get().packet().src().equals(out.get().packet().src())) {
          continue;
        }
        String src = out.get().packet().src();
        evidence.add(PathView.cite(out.get()) + " — source not translated");
        evidence.add(PathView.cite(v.requestAt(v.hops.size() - 1).orElseThrow()) + " — the request arrived from "
            + src + "; no reply was seen");
        addRelated(nat.ref());
        String subnet = subnetOf(nat.netns(), src).orElse(src + "/32");
        return Optional.of(verdict(Outcome.REPLY_LOST, nat.ref(), "not-translated", "The request left "
            + nat.netns() + " through " + v.hops.get(outIdx).iface() + " with its source " + src
            + " unchanged: no NAT rule translated it, and " + v.last().ref().label()
            + " has no route back to " + src + ", so the reply was never sent.",
            FixCommands.masquerade(nat.netns(), subnet, v.hops.get(outIdx).iface())));
      }
      return Optional.empty();
    }

    private Verdict unexplained() {
      int next = last + 1;
      Layer l = v.hops.get(Math.min(next, v.hops.size() - 1));
      if (!f.kernelEventsAvailable()) {
        evidence.add("kernel: drop events unavailable, so the reason could not be read");
      }
      return verdict(Outcome.STOPPED, l.ref(), "not-seen", (last < 0 ? "The request was seen nowhere"
          : "The request was last seen at " + v.hops.get(last).ref().label()) + " and never reached "
          + l.ref().label() + "; no kernel event or finding says why.", null);
    }

    // --- helpers ---------------------------------------------------------------------------------

    private void citeLastSeen() {
      if (last >= 0) {
        v.requestAt(last).ifPresent(o -> evidence.add(PathView.cite(o) + " — the last layer that saw the request"));
      } else {
        evidence.add("observation: the request was seen at no interface of the path");
      }
    }

    /** Findings and rule decisions about the verdict's layer (e.g. both netfilter backends). */
    private void addRelated(LayerRef where) {
      if (where == null) {
        return;
      }
      for (Finding x : f.findings()) {
        if (x.layer() != null && x.layer().kind() == where.kind() && Objects.equals(x.layer().netns(), where.netns())) {
          String line = "finding " + x.layer().label() + ": " + x.message();
          if (!evidence.contains(line)) {
            evidence.add(line);
          }
        }
      }
      for (RuleDecision r : f.rules()) {
        if (r.layer().kind() == where.kind() && Objects.equals(r.layer().netns(), where.netns())) {
          evidence.add(r.cite());
        }
      }
    }

    private String fixFor(String cause, LayerRef where, String ns, int from) {
      for (RuleDecision r : f.rules()) {
        if (r.stops() && r.fix() != null && r.layer().kind() == where.kind() && Objects.equals(r.layer().netns(), ns)) {
          return r.fix();
        }
      }
      for (Finding x : f.findings()) {
        if (x.fix() != null && x.layer() != null && x.layer().kind() == where.kind()
            && Objects.equals(x.layer().netns(), ns)) {
          return x.fix();
        }
      }
      return switch (cause) {
        case "forwarding-disabled" -> FixCommands.forwardingOn(ns);
        case "filtered" -> v.requestAt(Math.max(last, 0)).map(o -> FixCommands.acceptForward(ns, o.packet().src(),
            o.packet().dst())).orElse(null);
        case "not-bridged" -> notBridgedFix(ns);
        case "link-down" -> f.graph().find(where).filter(l -> l.iface() != null).map(FixCommands::linkUp).orElse(null);
        case "no-route" -> gatewayFor(from).map(g -> FixCommands.defaultRoute(ns, g, null)).orElse(null);
        default -> null;
      };
    }

    private String notBridgedFix(String ns) {
      Optional<Layer> bridge = v.find(LayerKind.BRIDGE, ns, 0);
      Optional<Layer> port = v.find(LayerKind.VETH, ns, 0);
      if (bridge.isPresent() && port.isPresent()) {
        return FixCommands.attachToBridge(ns, port.get().iface(), bridge.get().iface());
      }
      return null;
    }

    /** An address of a later layer in the same subnet as layer {@code at}'s own address: its gateway. */
    private Optional<String> gatewayFor(int at) {
      Layer l = v.hops.get(at);
      for (String mine : l.addresses()) {
        for (int i = at + 1; i < v.hops.size(); i++) {
          for (String theirs : v.hops.get(i).addresses()) {
            String ip = theirs.contains("/") ? theirs.substring(0, theirs.indexOf('/')) : theirs;
            if (FixCommands.contains(mine, ip) && !mine.startsWith(ip + "/")) {
              return Optional.of(ip);
            }
          }
        }
      }
      return Optional.empty();
    }

    /** The address across the link from device {@code at}: the right next hop. */
    private Optional<String> peerAddress(int at) {
      return gatewayFor(at);
    }

    private Optional<String> subnetOf(String netns, String ip) {
      for (Layer l : v.hops) {
        if (!Objects.equals(l.netns(), netns)) {
          continue;
        }
        for (String cidr : l.addresses()) {
          if (FixCommands.contains(cidr, ip)) {
            return FixCommands.network(cidr);
          }
        }
      }
      return Optional.empty();
    }

    private int nextDevice(int from) {
      for (int i = from + 1; i < v.hops.size(); i++) {
        if (v.hops.get(i).iface() != null) {
          return i;
        }
      }
      return -1;
    }

    private boolean sameNamespace(int a, int b) {
      return Objects.equals(v.hops.get(a).netns(), v.hops.get(b).netns());
    }

    private String namespaceOf(int i) {
      return v.hops.get(i).netns();
    }

    private List<Finding> findings(String netns) {
      return f.findings().stream().filter(x -> x.layer() != null && Objects.equals(x.layer().netns(), netns))
          .filter(x -> x.severity() == Severity.ERROR).toList();
    }

    private static boolean matches(LayerRef r, Layer l) {
      return r != null && r.kind() == l.kind() && Objects.equals(r.netns(), l.netns())
          && (r.iface() == null || r.iface().equals(l.iface()));
    }

    private static boolean isIcmpError(Observation o) {
      Integer t = o.packet().icmpType();
      return "icmp".equals(o.packet().protocol()) && t != null && (t == 3 || t == 11);
    }

    private static String capitalize(String s) {
      return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private Verdict verdict(Outcome o, LayerRef layer, String cause, String explanation, String fix) {
      if (!f.kernelEventsAvailable() && o != Outcome.REACHED
          && evidence.stream().noneMatch(e -> e.startsWith("kernel: drop events unavailable"))) {
        evidence.add("kernel: drop events unavailable, so no drop reason could be read");
      }
      return new Verdict(f.probe().id(), o, layer, cause, explanation, evidence, fix);
    }
  }
}
