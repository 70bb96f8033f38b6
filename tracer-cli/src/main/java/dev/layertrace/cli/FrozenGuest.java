package dev.layertrace.cli;

import dev.layertrace.LayertraceException;
import dev.layertrace.Version;
import dev.layertrace.agent.AgentAddress;
import dev.layertrace.agent.AgentUnreachable;
import dev.layertrace.discover.DecodingHostView;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.discover.Handoff;
import dev.layertrace.discover.HostView;
import dev.layertrace.discover.NamespaceScope;
import dev.layertrace.discover.NamespaceSnapshot;
import dev.layertrace.discover.PathMerge;
import dev.layertrace.discover.PathRequest;
import dev.layertrace.discover.PathResolver;
import dev.layertrace.discover.RulesetHook;
import dev.layertrace.discover.TapLocator;
import dev.layertrace.model.Capture;
import dev.layertrace.model.HostFacts;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Verdict;
import dev.layertrace.netlink.Link;
import dev.layertrace.probe.ProbeId;
import dev.layertrace.probe.ProbeSpec;
import dev.layertrace.sys.LiveHost;
import dev.layertrace.verdict.FrozenVmVerdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code trace --agent} on the host, when the guest's agent does not answer: a paused VM (QEMU's
 * {@code stop}) freezes the guest's kernel, its source and its agent together, so nobody there can
 * send or tell. This side can still see the VMM. When the VMM holding the guest's tap says its VM is
 * not running (or is stopped by a signal), that is the verdict, on the host's half of the path;
 * otherwise the agent's failure stands as it was.
 */
final class FrozenGuest {
  private FrozenGuest() {}

  /**
   * The capture whose verdict is the frozen VM; otherwise the agent's failure, with what the VMM
   * side showed added to it (a user error: one line).
   */
  static Capture explain(AgentUnreachable failure, AgentOptions options, String from, ProbeSpec probe,
      List<ProbeId> ids, NamespaceScope scope, HostFacts host, long discoveryStart) {
    Found f = frozen(failure, options, from, probe, ids, scope, host, discoveryStart);
    if (f.capture() == null) {
      throw new LayertraceException(failure.exitCode(), failure.getMessage() + " (" + f.hint() + ")");
    }
    return f.capture();
  }

  /** Either the capture, or what the VMM side showed instead. */
  private record Found(Capture capture, String hint) {}

  private static Found frozen(AgentUnreachable failure, AgentOptions options, String from,
      ProbeSpec probe, List<ProbeId> ids, NamespaceScope scope, HostFacts host, long discoveryStart) {
    AgentAddress agent = options.address();
    NamespaceScope hostScope = scope.withVmm(true);
    try (LiveHost live = LiveHost.scan(hostScope)) {
      HostView view = new DecodingHostView(live);
      Optional<TapLocator.Device> device = options.tap != null ? Optional.of(TapLocator.Device.parse(options.tap))
          : agent.kind() == AgentAddress.Kind.TCP ? TapLocator.locateByAddress(view, agent.host()) : Optional.empty();
      if (device.isEmpty() || !hostScope.allows(device.get().netns())) {
        return hint("no tap within this side's scope leads to " + agent
            + (options.tap == null ? "; name it with --tap NETNS/IFACE" : ""));
      }
      NamespaceSnapshot ns = view.namespace(device.get().netns());
      Optional<Link> tap = ns.link(device.get().iface());
      Optional<String> guestIp = agent.kind() == AgentAddress.Kind.TCP ? Optional.of(agent.host())
          : tap.flatMap(t -> TapLocator.guestAddress(ns, t));
      if (tap.isEmpty()) {
        return hint("no device " + device.get());
      }
      if (guestIp.isEmpty()) {
        return hint("no neighbour on " + device.get() + " tells the guest's address");
      }
      // The guest's half cannot be read: the host's half starts from the guest's address as its source
      // (what a masquerading guest sends with), and says so.
      Handoff h = new Handoff(from, null, List.of(guestIp.get() + "/32"), null, guestIp.get(), guestIp.get(), null,
          tap.get().mtu());
      DiscoveredPath far = new PathResolver(view, new RulesetHook(live::rulesets)).resolveFromTap(new PathRequest(
          from, from, probe.dst().getHostAddress(), probe.protocol(), probe.dstPort()), h, device.get().netns(),
          device.get().iface());
      DiscoveredPath merged = PathMerge.merge(frozenSource(from), far, "guest", "host", agent.toString());
      Optional<Verdict> v = FrozenVmVerdict.decide(merged.graph(), merged.findings(), ids.get(0).hex(),
          failure.getMessage());
      if (v.isEmpty()) {
        Layer vmm = merged.graph().nodes().stream().filter(l -> l.kind() == LayerKind.VMM_LINK).findFirst()
            .orElseThrow();
        return hint("the VMM holding " + device.get() + " is not stopped: " + describe(vmm));
      }
      List<String> notes = new ArrayList<>(merged.notes());
      notes.add("the guest's half is not known: its kernel is frozen, and its agent at " + agent + " did not answer");
      notes.add("the host's half assumes " + guestIp.get() + " as the source the guest sends with (its address on "
          + device.get() + ")");
      notes.add("no probe was sent");
      notes.add(String.format("timing: discovery %.1f ms, no probe phase", (System.nanoTime() - discoveryStart) / 1e6));
      return new Found(new Capture(Capture.SCHEMA_VERSION, Version.TOOL, Instant.now().toString(), host,
          merged.graph(), List.of(), List.of(), List.of(), merged.findings(), List.of(v.get()), notes), null);
    }
  }

  private static Found hint(String note) {
    return new Found(null, note);
  }

  private static String describe(Layer vmm) {
    java.util.Map<String, String> d = vmm.details();
    if (!d.containsKey("pid")) {
      return "no process holds it";
    }
    return "pid " + d.get("pid") + " (" + d.get("process").split(" ")[0] + ") state " + d.get("state")
        + (d.containsKey("vm") ? ", VM " + d.get("vm") + " per " + d.get("vm state from") : ", VM state unknown");
  }

  /** The source, as far as this side knows it: a name in a kernel it cannot look into. */
  private static DiscoveredPath frozenSource(String from) {
    Layer src = Layer.of(from + "/source", LayerKind.CONTAINER, from, null)
        .withDetail("state", "not observed: the guest's kernel is frozen");
    return new DiscoveredPath(PathGraph.linear(List.of(src), List.of()), List.of(), List.of(), null);
  }
}
