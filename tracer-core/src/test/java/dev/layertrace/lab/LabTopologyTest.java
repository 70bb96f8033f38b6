package dev.layertrace.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The standard lab is DESIGN.md's, built only inside its own namespaces. */
class LabTopologyTest {
  private static final LabTopology LAB = LabTopology.standard();

  private static List<String> shown(List<LabStep> steps) {
    return steps.stream().map(FaultTable::describe).toList();
  }

  @Test
  void namesAndAddressesAreDesignMds() {
    assertThat(LAB.namespaces()).containsExactly("lt-ctr", "lt-guest", "lt-host", "lt-inet");
    assertThat(LAB.addresses()).containsExactly(
        new LabAddress("lt-ctr", "eth0", "172.17.0.2/16"),
        new LabAddress("lt-guest", "docker0", "172.17.0.1/16"),
        new LabAddress("lt-guest", "eth0", "172.16.0.2/30"),
        new LabAddress("lt-host", "tap0", "172.16.0.1/30"),
        new LabAddress("lt-host", "uplink0", "203.0.113.2/24"),
        new LabAddress("lt-inet", "eth0", "203.0.113.1/24"),
        new LabAddress("lt-inet", "eth0", "198.51.100.10/32"));
    assertThat(LAB.routes()).extracting(LabRoute::netns, LabRoute::via, LabRoute::dev).containsExactly(
        org.assertj.core.groups.Tuple.tuple("lt-ctr", "172.17.0.1", "eth0"),
        org.assertj.core.groups.Tuple.tuple("lt-guest", "172.16.0.1", "eth0"),
        org.assertj.core.groups.Tuple.tuple("lt-host", "203.0.113.1", "uplink0"));
    assertThat(LAB.links()).filteredOn(l -> l.kind() == LabLink.LinkKind.TAP).extracting(LabLink::netns, LabLink::name)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("lt-guest", "eth0"),
            org.assertj.core.groups.Tuple.tuple("lt-host", "tap0"));
  }

  @Test
  void buildsTheGuestNicAndHostTapAsPersistentTaps() {
    assertThat(shown(LAB.buildSteps())).contains("ip -n lt-guest tuntap add dev eth0 mode tap",
        "ip -n lt-host tuntap add dev tap0 mode tap",
        "ip -n lt-ctr link add eth0 type veth peer name veth-ctr netns lt-guest",
        "ip -n lt-guest link set dev veth-ctr master docker0");
  }

  @Test
  void guestRulesAreTheOnesDockerInstalls() {
    assertThat(shown(LAB.buildSteps())).containsSubsequence(
        "ip netns exec lt-guest iptables -P FORWARD DROP",
        "ip netns exec lt-guest iptables -t filter -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        "ip netns exec lt-guest iptables -t filter -A FORWARD -i docker0 ! -o docker0 -j ACCEPT",
        "ip netns exec lt-guest iptables -t filter -A FORWARD -i docker0 -o docker0 -j ACCEPT",
        "ip netns exec lt-guest iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE");
  }

  @Test
  void hostHasARecognisableNftTableWithMasqueradeAndAnAcceptingForwardChain() {
    assertThat(LAB.hostNftScript()).startsWith("table ip layertrace_lab {")
        .contains("ip saddr 172.16.0.0/30 oifname \"uplink0\" masquerade")
        .contains("type filter hook forward priority filter; policy accept;");
  }

  @Test
  void forwardingIsOnOnlyInTheGuestAndTheHost() {
    assertThat(LAB.sysctls()).filteredOn(s -> s.key().equals("net.ipv4.ip_forward") && s.value().equals("1"))
        .extracting(LabSysctl::netns).containsExactly("lt-guest", "lt-host");
  }

  @Test
  void onlyNamespaceCreationRunsOutsideTheLabNamespaces() {
    for (LabStep s : LAB.buildSteps()) {
      LabStep.Exec e = (LabStep.Exec) s;
      if (e.netns() == null) {
        assertThat(e.argv()).startsWith("ip", "netns", "add");
      } else {
        assertThat(e.netns()).isIn(LAB.namespaces());
      }
    }
    assertThat(LAB.teardownSteps()).allSatisfy(s -> assertThat(((LabStep.Exec) s).argv()).startsWith("ip", "netns", "delete"));
  }

  @Test
  void aVethCopyUsesItsOwnNamesAndAVethInsteadOfTheRelay() {
    LabTopology copy = LabTopology.copy("lt-tlab-", LabTopology.VmmLink.VETH);
    assertThat(copy.namespaces()).containsExactly("lt-tlab-ctr", "lt-tlab-guest", "lt-tlab-host", "lt-tlab-inet");
    assertThat(shown(copy.buildSteps())).contains("ip -n lt-tlab-guest link add eth0 type veth peer name tap0 netns lt-tlab-host")
        .noneMatch(c -> c.contains("tuntap")).noneMatch(c -> c.contains(" lt-ctr ") || c.contains(" lt-guest "));
    assertThatThrownBy(() -> LabTopology.copy("x-", LabTopology.VmmLink.VETH)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void docsFaultsMdCarriesTheCatalogAsGenerated() throws Exception {
    Path doc = Path.of(System.getProperty("lt.repo.root", "..")).resolve("docs/faults.md");
    assertThat(Files.readString(doc)).as("regenerate with: layertrace lab faults --format markdown")
        .contains(FaultTable.markdown(LAB));
  }
}
