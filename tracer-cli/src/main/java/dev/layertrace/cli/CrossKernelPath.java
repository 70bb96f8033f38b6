package dev.layertrace.cli;

import dev.layertrace.LayertraceException;
import dev.layertrace.agent.AgentClient;
import dev.layertrace.agent.AgentMessages;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.discover.PathMerge;
import dev.layertrace.model.Layer;
import dev.layertrace.probe.ProbeId;
import dev.layertrace.probe.ProbeSpec;
import dev.layertrace.discover.DecodingHostView;
import dev.layertrace.discover.HostView;
import dev.layertrace.discover.NamespaceScope;
import dev.layertrace.discover.PathRequest;
import dev.layertrace.discover.PathResolver;
import dev.layertrace.discover.RulesetHook;
import dev.layertrace.discover.TapLocator;
import dev.layertrace.sys.LiveHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code trace --agent}: asks the other kernel's agent for the far half and merges it with this side's. */
final class CrossKernelPath {
  /** How long each answer of the agent may take (its discovery reads a few namespaces). */
  static final Duration AGENT_TIMEOUT = Duration.ofSeconds(15);

  private CrossKernelPath() {}

  static AgentClient connect(AgentOptions o) {
    return AgentClient.connect(o.address(), AgentTokens.read(o.tokenFile), AGENT_TIMEOUT);
  }

  /**
   * The merged path: {@code near} up to the guest NIC, the agent's half from the VMM on. The agent
   * learns the probe ids here and opens its observers before this side sends anything. Call only
   * when {@code near} hands over (see {@link DiscoveredPath#handoff()}).
   */
  static DiscoveredPath join(AgentClient agent, DiscoveredPath near, String from, String sourceNetns, ProbeSpec probe,
      List<ProbeId> ids, String tap) {
    DiscoveredPath far = agent.half(AgentMessages.HalfRequest.far(ids.stream().map(ProbeId::hex).toList(),
        AgentMessages.Spec.of(probe), from, sourceNetns, near.handoff(), tap));
    DiscoveredPath merged = PathMerge.merge(near, far, "guest", "host", agent.address().toString());
    Set<String> farIds = new LinkedHashSet<>();
    merged.graph().nodes().stream().filter(l -> "host".equals(l.kernel())).map(Layer::id).forEach(farIds::add);
    agent.useLayerIds(farIds);
    return merged;
  }

  /**
   * The other direction: this process is on the host and the source is in the guest, whose agent
   * resolves and sends from there; this side resolves from its tap on. A path that ends in the guest
   * is all the agent's.
   */
  static DiscoveredPath fromAgentSource(AgentClient agent, String from, ProbeSpec probe, List<ProbeId> ids,
      NamespaceScope scope, String tap) {
    DiscoveredPath near = agent.half(AgentMessages.HalfRequest.near(ids.stream().map(ProbeId::hex).toList(),
        AgentMessages.Spec.of(probe), from));
    if (near.handoff() == null) {
      DiscoveredPath all = PathMerge.labelled(near, "guest");
      agent.useLayerIds(new LinkedHashSet<>(all.graph().nodes().stream().map(Layer::id).toList()));
      List<String> notes = new ArrayList<>(all.notes());
      notes.add("the path ends in the guest before any VMM: all of it is the agent's half");
      return new DiscoveredPath(all.graph(), all.findings(), notes);
    }
    DiscoveredPath far;
    // This side is the host's: it sees the VMM processes (their state belongs to the path).
    try (LiveHost live = LiveHost.scan(scope.withVmm(true))) {
      HostView view = new DecodingHostView(live);
      TapLocator.Device device = tap != null ? TapLocator.Device.parse(tap)
          : TapLocator.locate(view, near.handoff()).orElseThrow(() -> LayertraceException.usage("no tap here shares a"
              + " subnet or neighbour entry with the guest NIC " + near.handoff().iface() + " "
              + near.handoff().addresses() + ": name it with --tap NETNS/IFACE"));
      scope.require(device.netns());
      String sourceNetns = near.graph().toPath().hops().get(0).netns();
      far = new PathResolver(view, new RulesetHook(live::rulesets)).resolveFromTap(new PathRequest(
          sourceNetns == null ? "guest" : sourceNetns, from, probe.dst().getHostAddress(), probe.protocol(),
          probe.dstPort()), near.handoff(), device.netns(), device.iface());
    }
    DiscoveredPath merged = PathMerge.merge(near, far, "guest", "host", agent.address().toString());
    Set<String> guestIds = new LinkedHashSet<>();
    merged.graph().nodes().stream().filter(l -> "guest".equals(l.kernel())).map(Layer::id).forEach(guestIds::add);
    agent.useLayerIds(guestIds);
    return merged;
  }

  /** The namespaces of {@code layerIds} in the path: the agent's half. */
  static Set<String> namespaces(DiscoveredPath path, Set<String> layerIds) {
    Set<String> out = new LinkedHashSet<>();
    path.graph().nodes().stream().filter(l -> layerIds.contains(l.id()) && l.netns() != null)
        .forEach(l -> out.add(l.netns()));
    return out;
  }
}
