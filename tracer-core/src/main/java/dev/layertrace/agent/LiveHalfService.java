package dev.layertrace.agent;

import dev.layertrace.LayertraceException;
import dev.layertrace.discover.DecodingHostView;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.discover.HostView;
import dev.layertrace.discover.NamespaceScope;
import dev.layertrace.discover.PathRequest;
import dev.layertrace.discover.PathResolver;
import dev.layertrace.discover.RulesetHook;
import dev.layertrace.discover.TapLocator;
import dev.layertrace.model.Finding;
import dev.layertrace.model.PathGraph;
import dev.layertrace.probe.ProbeId;
import dev.layertrace.probe.ProbeSpec;
import dev.layertrace.probe.TraceSession;
import dev.layertrace.sys.LiveHost;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The agent's half on the live system, inside its scope only: finds the tap where the guest's frames
 * arrive, resolves from there to the destination (with the source and MTU the tracer handed over),
 * and opens a {@link TraceSession} that watches without sending. Nothing on the system is changed; the
 * session's private tracefs instance ({@code layertrace-PID-aN}) is removed when the half closes.
 */
public final class LiveHalfService implements HalfService {
  private final NamespaceScope scope;
  private final AtomicInteger sessions = new AtomicInteger();

  public LiveHalfService(NamespaceScope scope) {
    // The host's half sees the VMM: the process behind the tap is part of its story.
    this.scope = scope.withVmm(true);
  }

  @Override
  public Half open(AgentMessages.HalfRequest r) {
    if (r.ids() == null || r.ids().isEmpty() || r.ids().size() > 16 || r.spec() == null
        || (r.send() ? r.sourceLabel() == null : r.handoff() == null)) {
      throw new AgentMessages.ProtocolError("a half request needs 1..16 probe ids, a spec, and a source to send from"
          + " or a handoff to continue from");
    }
    List<ProbeId> ids;
    try {
      ids = r.ids().stream().map(ProbeId::parse).toList();
    } catch (IllegalArgumentException e) {
      throw new AgentMessages.ProtocolError("bad probe id: " + e.getMessage());
    }
    ProbeSpec spec = r.spec().toProbeSpec();
    return r.send() ? openNear(r, ids, spec) : openFar(r, ids, spec);
  }

  /**
   * The guest's half for a tracer on the host: from the source to the NIC, the VMM not looked for (it
   * is the host's), probes sent by this agent.
   */
  private Half openNear(AgentMessages.HalfRequest r, List<ProbeId> ids, ProbeSpec spec) {
    NamespaceScope guest = scope.withVmm(false);
    DiscoveredPath near;
    try (LiveHost live = LiveHost.scan(guest)) {
      dev.layertrace.discover.SourceSpec source = dev.layertrace.discover.SourceSpec.parse(
          r.sourceLabel().contains(":") ? r.sourceLabel() : "netns:" + r.sourceLabel());
      if (source.kind() == dev.layertrace.discover.SourceSpec.Kind.NETNS) {
        guest.require(source.value());
      }
      String netns = new dev.layertrace.sys.SourceResolver(live, dev.layertrace.sys.SourceResolver.dockerSocketLookup(null))
          .resolve(source);
      near = new PathResolver(new DecodingHostView(live), new RulesetHook(live::rulesets))
          .resolve(new PathRequest(netns, r.sourceLabel(), spec.dst().getHostAddress(), spec.protocol(), spec.dstPort()));
    }
    TraceSession session = TraceSession.create(new TraceSession.Request(near.graph(), near.findings(), List.of(), spec,
        ids.size(), instanceName(), guest, null));
    session.open(ids);
    return new LiveHalf(near, near.notes(), session, ids);
  }

  private String instanceName() {
    return "layertrace-" + ProcessHandle.current().pid() + "-a" + sessions.incrementAndGet();
  }

  /** The host's half for a tracer in the guest: from the tap on, watched, nothing sent. */
  private Half openFar(AgentMessages.HalfRequest r, List<ProbeId> ids, ProbeSpec spec) {
    DiscoveredPath far;
    TapLocator.Device tap;
    try (LiveHost live = LiveHost.scan(scope)) {
      HostView view = new DecodingHostView(live);
      tap = r.tap() != null ? TapLocator.Device.parse(r.tap())
          : TapLocator.locate(view, r.handoff()).orElseThrow(() -> LayertraceException.usage("no tap in this agent's"
              + " namespaces shares a subnet or neighbour entry with the guest NIC " + r.handoff().iface() + " "
              + r.handoff().addresses() + ": name it with --tap NETNS/IFACE"));
      scope.require(tap.netns());
      PathRequest request = new PathRequest(r.sourceNetns() == null ? "guest" : r.sourceNetns(), r.sourceLabel(),
          spec.dst().getHostAddress(), spec.protocol(), spec.dstPort());
      far = new PathResolver(view, new RulesetHook(live::rulesets)).resolveFromTap(request, r.handoff(), tap.netns(),
          tap.iface());
    }
    TraceSession session = TraceSession.create(new TraceSession.Request(far.graph(), far.findings(), List.of(), spec,
        ids.size(), instanceName(), scope, null));
    session.openWatch(ids);
    List<String> notes = new java.util.ArrayList<>(far.notes());
    notes.add(0, "the guest's frames arrive on " + tap);
    return new LiveHalf(far, notes, session, ids);
  }

  private record LiveHalf(DiscoveredPath far, List<String> notes, TraceSession session, List<ProbeId> ids)
      implements Half {
    @Override
    public PathGraph graph() {
      return far.graph();
    }

    @Override
    public List<Finding> findings() {
      return far.findings();
    }

    @Override
    public dev.layertrace.discover.Handoff handoff() {
      return far.handoff();
    }

    @Override
    public TraceSession.Watched watch(TraceSession.WatchSink sink, BooleanSupplier stop) {
      return session.watch(ids, sink, stop);
    }

    @Override
    public Map<String, List<String>> conntrack() {
      return session.conntrackEntries();
    }

    @Override
    public Map<String, String> forwardChains() {
      return session.forwardChainLines();
    }

    @Override
    public void close() {
      session.close();
    }
  }
}
