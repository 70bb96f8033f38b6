package dev.layertrace.lab.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.lab.LabStep;
import dev.layertrace.lab.LabTopology;
import java.util.List;
import org.junit.jupiter.api.Test;

class QemuLabPlanTest {
  private static final QemuLabPlan STANDARD = new QemuLabPlan(LabTopology.standard());

  @Test
  void theHostKeepsOnlyItsOwnAndTheInternetsSteps() {
    List<LabStep.Exec> steps = STANDARD.hostSteps().stream().map(LabStep.Exec.class::cast).toList();
    assertThat(steps).allSatisfy(e -> assertThat(e.netns() == null ? e.argv().get(3) : e.netns())
        .isIn("lt-host", "lt-inet"));
    assertThat(steps).anySatisfy(e -> assertThat(e.display()).isEqualTo("ip -n lt-host tuntap add dev tap0 mode tap"));
    assertThat(steps).anySatisfy(e -> assertThat(e.argv()).containsExactly("nft", "-f", "-"));
    assertThat(steps.stream().map(LabStep.Exec::display)).noneMatch(d -> d.contains("lt-guest") || d.contains("lt-ctr"));
  }

  @Test
  void theGuestScriptNamesTheGuestKernelsOwnNamespaceAndBuildsTheRest() {
    String script = STANDARD.guestScript();
    assertThat(script).contains("ip netns attach lt-guest 1\n").contains("ip netns add lt-ctr\n")
        .doesNotContain("ip netns add lt-guest").doesNotContain("tuntap").doesNotContain("lt-host")
        .doesNotContain("lt-inet");
    assertThat(script).contains("ip -n lt-ctr link add eth0 type veth peer name veth-ctr netns lt-guest\n")
        // Consecutive ip commands in one namespace run as one ip -batch (few processes under TCG).
        .contains("ip -n lt-guest -batch - <<'LAB'\nlink add docker0 type bridge\n")
        .contains("\naddress add 172.16.0.2/30 dev eth0\n")
        .contains("\nroute replace default via 172.16.0.1 dev eth0\nLAB\n")
        .contains("ip netns exec lt-guest iptables -P FORWARD DROP\n")
        .contains("ip netns exec lt-guest iptables -t nat -A POSTROUTING -s 172.17.0.0/16 '!' -o docker0 -j"
            + " MASQUERADE\n")
        .contains("ip netns exec lt-guest sysctl -q -w net.ipv4.ip_forward=1");
    // The order of LabTopology's steps is kept: the namespace exists before anything uses it.
    assertThat(script.indexOf("ip netns add lt-ctr")).isLessThan(script.indexOf("ip -n lt-ctr"));
  }

  @Test
  void aCopysNamesCarryThrough() {
    QemuLabPlan copy = new QemuLabPlan(LabTopology.copy("lt-q-", LabTopology.VmmLink.RELAY));
    assertThat(copy.hostNamespaces()).containsExactly("lt-q-host", "lt-q-inet");
    assertThat(copy.guestScript()).contains("ip netns attach lt-q-guest 1").contains("netns lt-q-guest");
    assertThat(copy.hostTeardownSteps()).hasSize(2);
  }

  @Test
  void aVethCopyHasNoTapForQemuAndIsRefused() {
    assertThatThrownBy(() -> new QemuLabPlan(LabTopology.copy("lt-q-", LabTopology.VmmLink.VETH)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void argumentsAreQuotedForTheShell() {
    assertThat(QemuLabPlan.quote("a b")).isEqualTo("'a b'");
    assertThat(QemuLabPlan.quote("it's")).isEqualTo("'it'\\''s'");
    assertThat(QemuLabPlan.quote("172.16.0.0/30")).isEqualTo("172.16.0.0/30");
    assertThat(QemuLabPlan.command(new LabStep.Exec("lt-guest", List.of("nft", "-f", "-"), "table ip t {}\n", true)))
        .isEqualTo("printf '%s' 'table ip t {}\n' | ip netns exec lt-guest nft -f - || true");
  }
}
