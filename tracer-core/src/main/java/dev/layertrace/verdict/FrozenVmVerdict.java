package dev.layertrace.verdict;

import dev.layertrace.model.Finding;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The verdict when the source's kernel cannot be asked at all: its agent did not answer, and the VMM
 * in front of it says the VM is not running (QEMU paused) or is stopped by a signal. Nothing can be
 * sent from a frozen guest, so this rests on the VMM's own state, not on a probe — and says so.
 * Pure: the path (with the VMM layer and its finding) and the agent's failure come in.
 */
public final class FrozenVmVerdict {
  private FrozenVmVerdict() {}

  /**
   * @param graph the host's half, from the VMM layer on
   * @param findings its findings; a {@code vmm-not-relaying} one on the VMM layer is what decides
   * @param agentFailure the one-line reason the agent could not be asked
   * @return the verdict, or empty when the VMM is not known to be stopped (then the agent's failure stands)
   */
  public static Optional<Verdict> decide(PathGraph graph, List<Finding> findings, String probeId,
      String agentFailure) {
    Optional<Layer> vmm = graph.nodes().stream().filter(l -> l.kind() == LayerKind.VMM_LINK).findFirst();
    Optional<Finding> stopped = findings.stream().filter(f -> f.layer() != null
        && f.layer().kind() == LayerKind.VMM_LINK && "vmm-not-relaying".equals(f.code())).findFirst();
    if (vmm.isEmpty() || stopped.isEmpty()) {
      return Optional.empty();
    }
    String vmState = vmm.get().details().get("vm");
    List<String> evidence = new ArrayList<>();
    stopped.get().evidence().forEach(evidence::add);
    evidence.add("agent: " + agentFailure);
    evidence.add("no probe was sent: the source is in the frozen guest");
    String frozen = vmState != null && !vmState.equals("running") ? "Its VM is " + vmState
        : "The VMM process is stopped";
    return Optional.of(new Verdict(probeId, Outcome.STOPPED, vmm.get().ref(), "vmm-not-relaying", frozen
        + ": the guest's kernel is frozen — its source, its NIC and its agent with it — and the VMM reads"
        + " nothing from the host's tap. Nothing crosses the VMM in either direction until it runs again.",
        evidence, stopped.get().fix()));
  }
}
