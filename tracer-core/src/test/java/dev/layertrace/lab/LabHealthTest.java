package dev.layertrace.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LabHealth} on lab states recorded from a real lab, with the relay and reachability as given. */
class LabHealthTest {
  private static final LabTopology LAB = LabTopology.standard();
  private static final RelayStatus RUNNING = new RelayStatus(4242, RelayStatus.ProcessState.RUNNING,
      new RelayCounters(10, 980, 10, 980, 0, 1L, "relaying"));
  private static final Reachability REACHED = new Reachability("lt-ctr eth0", LabTopology.REMOTE, true, 310);
  private static final Reachability LOST = new Reachability("lt-ctr eth0", LabTopology.REMOTE, false, -1);

  private static List<String> problems(LabStatus s) {
    return s.problems().stream().map(c -> c.area() + " " + c.item() + ": " + c.detail()).toList();
  }

  @Test
  void theRecordedHealthyLabIsHealthy() {
    LabStatus s = LabHealth.evaluate(LAB, LabFixtures.snapshot("healthy"), RUNNING, REACHED);
    assertThat(problems(s)).isEmpty();
    assertThat(s.healthy()).isTrue();
    assertThat(s.up()).isTrue();
    assertThat(LabStatusText.render(s)).startsWith("lab: healthy").contains("pid 4242 relaying")
        .contains("reply in 0.31 ms");
  }

  @Test
  void nftSplitBrainNamesTheSecondRuleset() {
    LabStatus s = LabHealth.evaluate(LAB, LabFixtures.snapshot("nft-split-brain"), RUNNING, LOST);
    assertThat(problems(s)).containsExactly(
        "lt-guest nftables: native nft table(s) next to Docker's iptables rules: inet filter",
        "path reachability: ICMP echo lt-ctr eth0 → 198.51.100.10: no reply");
  }

  @Test
  void guestForwardDropListsTheMissingDockerRules() {
    LabStatus s = LabHealth.evaluate(LAB, LabFixtures.snapshot("guest-forward-drop"), RUNNING, LOST);
    assertThat(problems(s)).hasSize(2).first().asString()
        .startsWith("lt-guest iptables: missing -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED"
            + " -j ACCEPT; -A FORWARD -i docker0 ! -o docker0 -j ACCEPT; -A FORWARD -i docker0 -o docker0 -j ACCEPT");
  }

  @Test
  void wrongGatewayShowsTheRouteAndWhatWasExpected() {
    LabStatus s = LabHealth.evaluate(LAB, LabFixtures.snapshot("guest-wrong-gateway"), RUNNING, LOST);
    assertThat(problems(s)).contains(
        "lt-guest default route: via 172.16.0.9 dev eth0 onlink (expected via 172.16.0.1 dev eth0)");
  }

  @Test
  void mtuBlackholeShowsBothMtusAndTheExtraRule() {
    LabStatus s = LabHealth.evaluate(LAB, LabFixtures.snapshot("mtu-blackhole"), RUNNING, REACHED);
    assertThat(problems(s)).contains("lt-guest eth0: mtu 1400 (expected 1500)", "lt-host tap0: mtu 1400 (expected 1500)",
        "lt-guest iptables: unexpected -A OUTPUT -p icmp -m icmp --icmp-type 3/4 -j DROP");
  }

  @Test
  void aKilledRelayShowsAsDeadWithTapsWithoutCarrier() {
    RelayStatus dead = new RelayStatus(4242, RelayStatus.ProcessState.DEAD, RUNNING.counters());
    LabStatus s = LabHealth.evaluate(LAB, LabFixtures.snapshot("relay-killed"), dead, LOST);
    assertThat(problems(s)).containsExactly(
        "lt-guest eth0: no carrier (no process holds the tap)",
        "lt-host tap0: no carrier (no process holds the tap)",
        "relay process: pid 4242 is not running (killed or crashed) · guest→host 10 frames 980 B · host→guest 10"
            + " frames 980 B · dropped 0",
        "path reachability: ICMP echo lt-ctr eth0 → 198.51.100.10: no reply");
  }

  @Test
  void aStoppedRelayIsAProblemEvenWithEveryLinkUp() {
    RelayStatus stopped = new RelayStatus(4242, RelayStatus.ProcessState.STOPPED, null);
    LabStatus s = LabHealth.evaluate(LAB, LabFixtures.snapshot("healthy"), stopped, LOST);
    assertThat(problems(s)).first().asString().contains("is stopped (SIGSTOP)");
  }

  @Test
  void noNamespacesMeansNotUp() {
    LabStatus s = LabHealth.evaluate(LAB, new LabSnapshot(List.of()), RelayStatus.absent(), null);
    assertThat(s.up()).isFalse();
    assertThat(s.healthy()).isFalse();
    assertThat(LabStatusText.render(s)).startsWith("lab: not up");
  }

  @Test
  void aVethCopyHasNoRelayToCheck() {
    LabTopology copy = LabTopology.copy("lt-tlab-", LabTopology.VmmLink.VETH);
    LabStatus s = LabHealth.evaluate(copy, new LabSnapshot(List.of()), RelayStatus.absent(), null);
    assertThat(s.checks()).noneMatch(c -> c.area().equals("relay"));
  }
}
