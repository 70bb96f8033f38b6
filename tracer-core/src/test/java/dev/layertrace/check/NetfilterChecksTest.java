package dev.layertrace.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Netfilter and sysctl checks on snapshots recorded in scratch namespaces. */
class NetfilterChecksTest {

  @Test
  void splitBrainNamesBothBackendsAndTheDecidingChain() {
    DoctorReport report = DoctorReport.evaluate(DoctorFixtures.facts("netns-split-brain.json"));
    assertThat(report.netns()).isEqualTo("lt-tdoc-rec");
    CheckResult r = report.get("netfilter.split_brain");
    assertThat(r.status()).isEqualTo(CheckStatus.WRONG);
    assertThat(r.evidence().get(0)).contains("iptables-nft").contains("nftables");
    assertThat(r.evidence()).contains("deciding chain: inet filter forward (nftables): drop by policy drop");
    assertThat(r.evidence()).anyMatch(e -> e.startsWith("forward: ip filter FORWARD (iptables-nft): accept by rule"
        + " -A FORWARD -i docker0 ! -o docker0 -j ACCEPT"));
    assertThat(r.fix()).contains("DOCKER-USER");
    CheckResult forward = report.get("netfilter.forward");
    assertThat(forward.status()).isEqualTo(CheckStatus.WRONG);
    assertThat(forward.fix()).contains("inet filter forward (nftables)");
    // Docker's chains live where the iptables binary writes: no stale copy.
    assertThat(report.get("netfilter.docker_chains").status()).isEqualTo(CheckStatus.OK);
    assertThat(report.get("netfilter.docker_chains").evidence()).contains("iptables uses nf_tables");
  }

  @Test
  void theEvaluatedPacketComesFromDocker0sNetworkAndLeavesByTheDefaultRoute() {
    SystemFacts facts = DoctorFixtures.facts("netns-split-brain.json");
    assertThat(Rulesets.describe(Rulesets.dockerFlow(facts)))
        .isEqualTo("icmp 172.17.0.2 → 192.0.2.10 in docker0 out eth0");
  }

  @Test
  void bridgeMtuAboveTheUplinksIsWrong() {
    CheckResult r = DoctorReport.evaluate(DoctorFixtures.facts("netns-split-brain.json")).get("docker.bridge_mtu");
    assertThat(r.status()).isEqualTo(CheckStatus.WRONG);
    assertThat(r.evidence()).containsExactly("docker0 mtu 1500, uplink eth0 mtu 1400");
    assertThat(r.fix()).contains("\"mtu\"");
  }

  @Test
  void dockerRulesAloneAreNoSplitBrain() {
    SystemFacts facts = DoctorFixtures.facts("netns-split-brain.json");
    CommandFact nft = facts.command(FactPaths.CMD_NFT_RULESET).orElseThrow();
    // The recording minus the native inet filter table: what the namespace held before 'nft add table'.
    String withoutInet = nftWithoutTable(nft.stdout(), "inet", "filter");
    SystemFacts dockerOnly = facts.withCommands(Map.of(FactPaths.CMD_NFT_RULESET,
        new CommandFact(nft.argv(), 0, withoutInet, "", "")));
    DoctorReport report = DoctorReport.evaluate(dockerOnly);
    assertThat(report.get("netfilter.split_brain").status()).isEqualTo(CheckStatus.OK);
    assertThat(report.get("netfilter.forward").status()).isEqualTo(CheckStatus.OK);
  }

  @Test
  void legacyRulesBesideNfTablesAreSplitBrain() {
    SystemFacts facts = DoctorFixtures.facts("netns-split-brain.json").withCommands(Map.of(
        FactPaths.CMD_IPTABLES_LEGACY_SAVE, new CommandFact(List.of("iptables-legacy-save"), 0,
            "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n", "", "")));
    CheckResult r = DoctorReport.evaluate(facts).get("netfilter.split_brain");
    assertThat(r.status()).isEqualTo(CheckStatus.WRONG);
    assertThat(r.evidence().get(0)).contains("iptables-legacy");
  }

  @Test
  void freshNamespaceHasForwardingOff() {
    DoctorReport report = DoctorReport.evaluate(DoctorFixtures.facts("netns-ip-forward-off.json"));
    CheckResult r = report.get("sysctl.ip_forward");
    assertThat(r.status()).isEqualTo(CheckStatus.WRONG);
    assertThat(r.evidence()).containsExactly("/proc/sys/net/ipv4/ip_forward = 0");
    assertThat(r.fix()).startsWith("ip netns exec lt-tdoc-rec sysctl -w net.ipv4.ip_forward=1");
    assertThat(report.get("netfilter.split_brain").status()).isEqualTo(CheckStatus.OK);
  }

  @Test
  void unprivilegedRulesetReadIsUnknownWithTheReason() {
    SystemFacts facts = DoctorFixtures.facts("host.json").withCommands(Map.of(FactPaths.CMD_NFT_RULESET,
        new CommandFact(List.of("nft", "-j", "list", "ruleset"), 1, "",
            "Error: Operation not permitted (you must be root)\n", "")));
    CheckResult r = DoctorReport.evaluate(facts).get("netfilter.split_brain");
    assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
    assertThat(r.evidence().get(0)).contains("Operation not permitted").contains("CAP_NET_ADMIN");
  }

  @ParameterizedTest
  @CsvSource({
      "iptables v1.8.9 (nf_tables), 1.8.9, nf_tables",
      "iptables v1.8.7 (legacy), 1.8.7, legacy",
      "iptables v1.6.1, 1.6.1, legacy"})
  void parsesIptablesVersion(String line, String version, String backend) {
    assertThat(IptablesVersion.parse(line)).contains(new IptablesVersion(version, backend));
  }

  @Test
  void missingIptablesBinaryIsMissing() {
    SystemFacts facts = DoctorFixtures.facts("host.json").withCommands(Map.of(FactPaths.CMD_IPTABLES_VERSION,
        CommandFact.notRun(List.of("iptables", "--version"), "not installed")));
    CheckResult r = DoctorReport.evaluate(facts).get("netfilter.iptables_backend");
    assertThat(r.status()).isEqualTo(CheckStatus.MISSING);
    assertThat(r.why()).contains("executable file not found in $PATH");
    assertThat(IptablesVersion.of(facts)).isEqualTo(Optional.empty());
  }

  /** Drops one table (and its chains and rules) from nft's JSON. */
  private static String nftWithoutTable(String json, String family, String name) {
    try {
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      var root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(json);
      var items = (com.fasterxml.jackson.databind.node.ArrayNode) root.get("nftables");
      for (int i = items.size() - 1; i >= 0; i--) {
        var obj = items.get(i).elements().next();
        boolean isTable = items.get(i).has("table");
        String f = obj.path("family").asText();
        String t = isTable ? obj.path("name").asText() : obj.path("table").asText();
        if (f.equals(family) && t.equals(name)) {
          items.remove(i);
        }
      }
      return mapper.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
