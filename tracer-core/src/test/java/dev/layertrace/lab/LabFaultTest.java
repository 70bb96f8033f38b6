package dev.layertrace.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.model.LayerKind;
import dev.layertrace.model.LayerRef;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Protocol;
import dev.layertrace.model.Verdict;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The catalog against the issue's table, and the shape of every fault's steps. */
class LabFaultTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      ctr-no-default-route | stopped · container lt-ctr · no-route
      veth-peer-down       | stopped · veth lt-guest · link-down
      veth-detached        | stopped · bridge lt-guest · not-bridged
      bridge-down          | stopped · bridge lt-guest · link-down
      guest-ip-forward-off | stopped · forwarding lt-guest · forwarding-disabled
      guest-forward-drop   | stopped · filter lt-guest · filtered
      guest-no-masquerade  | reply-lost · nat lt-guest · not-translated
      guest-nic-down       | stopped · nic lt-guest · link-down
      vmm-stalled          | stopped · vmm-link · vmm-not-relaying
      tap-down             | stopped · tap lt-host · link-down
      host-ip-forward-off  | stopped · forwarding lt-host · forwarding-disabled
      host-forward-drop    | stopped · filter lt-host · filtered
      host-no-masquerade   | reply-lost · nat lt-host · not-translated
      uplink-down          | stopped · uplink lt-host · link-down
      mtu-blackhole        | stopped · nic lt-guest · mtu-exceeded
      guest-wrong-gateway  | stopped · nic lt-guest · neighbor-unresolved
      nft-split-brain      | stopped · filter lt-guest · filtered
      """)
  void expectedVerdictIsTheIssues(String name, String verdict) {
    assertThat(LabFault.of(name)).hasValueSatisfying(f -> assertThat(f.expectedVerdict().describe()).isEqualTo(verdict));
  }

  @Test
  void theCatalogHasExactlyTheIssuesSeventeenFaults() {
    assertThat(LabFault.values()).hasSize(17);
    assertThat(LabFault.of("no-such-fault")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(LabFault.class)
  void everyFaultBreaksAndHealsInsideTheLabNamespacesOnly(LabFault f) {
    LabTopology t = LabTopology.standard();
    assertThat(f.breakSteps(t)).isNotEmpty();
    assertThat(f.healSteps(t)).isNotEmpty();
    for (LabStep s : concat(f.breakSteps(t), f.healSteps(t))) {
      if (s instanceof LabStep.Exec e) {
        assertThat(e.netns()).as(e.display()).isIn(t.namespaces());
      }
    }
    assertThat(f.change()).isNotBlank();
    assertThat(f.teaches()).isNotBlank();
  }

  @Test
  void guestWrongGatewayUsesAnOnLinkAddressOutsideTheSubnetNotTheBroadcast() {
    List<String> shown = LabFault.GUEST_WRONG_GATEWAY.breakSteps(LabTopology.standard()).stream()
        .map(FaultTable::describe).toList();
    assertThat(shown).containsExactly("ip -n lt-guest route replace default via 172.16.0.9 dev eth0 onlink");
  }

  @Test
  void mtuBlackholeIsShownByAFullSizeDfProbe() {
    assertThat(LabFault.MTU_BLACKHOLE.probe()).isEqualTo(new FaultProbe(Protocol.ICMP, 1500, true));
    assertThat(LabFault.MTU_BLACKHOLE.breakSteps(LabTopology.standard()).stream().map(FaultTable::describe))
        .contains("ip -n lt-guest link set dev eth0 mtu 1400", "ip -n lt-host link set dev tap0 mtu 1400",
            "ip netns exec lt-guest iptables -t filter -I OUTPUT -p icmp -m icmp --icmp-type 3/4 -j DROP");
  }

  @Test
  void vmmStalledSignalsTheRelayAndDoesNotApplyWithoutOne() {
    assertThat(LabFault.VMM_STALLED.breakSteps(LabTopology.standard()))
        .containsExactly(new LabStep.SignalRelay(LabStep.RelaySignal.STOP));
    assertThat(LabFault.VMM_STALLED.healSteps(LabTopology.standard()))
        .containsExactly(new LabStep.SignalRelay(LabStep.RelaySignal.CONT));
    LabTopology veth = LabTopology.copy("lt-tlab-", LabTopology.VmmLink.VETH);
    assertThat(Arrays.stream(LabFault.values()).filter(f -> !f.appliesTo(veth))).containsExactly(LabFault.VMM_STALLED);
  }

  @Test
  void expectedVerdictMatchesAVerdictWithTheSameLayerAndCause() {
    ExpectedVerdict e = LabFault.GUEST_NO_MASQUERADE.expectedVerdict();
    Verdict v = new Verdict("p1", Outcome.REPLY_LOST, LayerRef.of(LayerKind.NAT, "lt-guest", null), "not-translated",
        "x", List.of(), null);
    assertThat(e.matches(v)).isTrue();
    assertThat(e.matches(new Verdict("p1", Outcome.REPLY_LOST, LayerRef.of(LayerKind.NAT, "lt-host", null),
        "not-translated", "x", List.of(), null))).isFalse();
    assertThat(e.matches(null)).isFalse();
  }

  @Test
  void aCopysVerdictsNameTheCopysNamespaces() {
    LabTopology copy = LabTopology.copy("lt-tlab-", LabTopology.VmmLink.VETH);
    assertThat(LabFault.TAP_DOWN.expectedVerdict(copy).netns()).isEqualTo("lt-tlab-host");
  }

  private static List<LabStep> concat(List<LabStep> a, List<LabStep> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
