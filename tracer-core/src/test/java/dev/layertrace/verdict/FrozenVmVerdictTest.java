package dev.layertrace.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.model.Finding;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.LayerRef;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Severity;
import dev.layertrace.model.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A verdict from the VMM's own state when the guest (and its agent) cannot be asked. */
class FrozenVmVerdictTest {
  private static final String MONITOR = "QEMU monitor /run/layertrace/lab-qemu/monitor.sock";
  private static final PathGraph PATH = PathGraph.linear(List.of(
      Layer.of("lt-ctr/source", LayerKind.CONTAINER, "lt-ctr", null).withKernel("guest"),
      Layer.of("vmm", LayerKind.VMM_LINK, null, null).withDetail("pid", "4242").withDetail("vm", "paused")
          .withDetail("vm state from", MONITOR),
      Layer.of("lt-host/tap0", LayerKind.TAP, "lt-host", "tap0").withKernel("host")), List.of());

  @Test
  void aPausedVmIsWhereItStopped() {
    Finding paused = new Finding(LayerRef.of(LayerKind.VMM_LINK, null, null), "vmm-not-relaying", Severity.ERROR,
        "the VM of VMM process 4242 is paused", "echo cont | socat - UNIX-CONNECT:/m", List.of(MONITOR + ": paused"));
    Verdict v = FrozenVmVerdict.decide(PATH, List.of(paused), "ab12",
        "cannot reach the agent at tcp:172.16.0.2:7447: connection timed out").orElseThrow();
    assertThat(v.outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(v.layer().kind()).isEqualTo(LayerKind.VMM_LINK);
    assertThat(v.cause()).isEqualTo("vmm-not-relaying");
    assertThat(v.probeId()).isEqualTo("ab12");
    assertThat(v.explanation()).startsWith("Its VM is paused");
    assertThat(v.evidence()).containsExactly(MONITOR + ": paused",
        "agent: cannot reach the agent at tcp:172.16.0.2:7447: connection timed out",
        "no probe was sent: the source is in the frozen guest");
    assertThat(v.fix()).isEqualTo("echo cont | socat - UNIX-CONNECT:/m");
  }

  @Test
  void withoutAStoppedVmmTheAgentsFailureStands() {
    Finding other = new Finding(LayerRef.of(LayerKind.TAP, "lt-host", "tap0"), "link-down", Severity.ERROR, "down",
        null, List.of());
    assertThat(FrozenVmVerdict.decide(PATH, List.of(other), "ab12", "refused")).isEmpty();
    assertThat(FrozenVmVerdict.decide(PathGraph.linear(List.of(PATH.nodes().get(2)), List.of()), List.of(), "ab12",
        "refused")).isEmpty();
  }
}
