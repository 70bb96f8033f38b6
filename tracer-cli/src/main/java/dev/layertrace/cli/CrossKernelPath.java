package dev.layertrace.cli;

import dev.layertrace.LayertraceException;
import dev.layertrace.agent.AgentClient;
import dev.layertrace.agent.AgentMessages;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.discover.PathMerge;
import dev.layertrace.model.Layer;
import dev.layertrace.probe.ProbeId;
import dev.layertrace.probe.ProbeSpec;
import java.time.Duration;
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
    DiscoveredPath far = agent.half(new AgentMessages.HalfRequest(ids.stream().map(ProbeId::hex).toList(),
        AgentMessages.Spec.of(probe), from, sourceNetns, near.handoff(), tap));
    DiscoveredPath merged = PathMerge.merge(near, far, "guest", "host", agent.address().toString());
    Set<String> farIds = new LinkedHashSet<>();
    merged.graph().nodes().stream().filter(l -> "host".equals(l.kernel())).map(Layer::id).forEach(farIds::add);
    agent.useLayerIds(farIds);
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
