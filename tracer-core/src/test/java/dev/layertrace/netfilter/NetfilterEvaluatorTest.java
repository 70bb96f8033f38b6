package dev.layertrace.netfilter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.model.Protocol;
import dev.layertrace.netfilter.NetfilterFixtureRecorder.Scenario;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Evaluates the lab's probe against rules recorded from real namespaces (see NetfilterFixtureRecorder). */
class NetfilterEvaluatorTest {
  /** The lab probe as lt-guest forwards it: in from the bridge, out the guest NIC. */
  static final Flow GUEST_PROBE = Flow.forwarded("172.17.0.2", "198.51.100.10", Protocol.ICMP, 0, "docker0", "eth0");
  /** The same probe in lt-host, already masqueraded by the guest. */
  static final Flow HOST_PROBE = Flow.forwarded("172.16.0.2", "198.51.100.10", Protocol.ICMP, 0, "tap0", "uplink0");
  static final Map<String, List<String>> GUEST_ADDRESSES = Map.of(
      "lo", List.of("127.0.0.1"), "docker0", List.of("172.17.0.1"), "eth0", List.of("172.16.0.2"));
  static final Map<String, List<String>> HOST_ADDRESSES = Map.of(
      "lo", List.of("127.0.0.1"), "tap0", List.of("172.16.0.1"), "uplink0", List.of("203.0.113.2"));

  static Evaluation guest(Scenario s) {
    return NetfilterEvaluator.evaluate(NetfilterFixtureRecorder.load(s).parse(), GUEST_PROBE, GUEST_ADDRESSES);
  }

  static Evaluation host(Scenario s) {
    return NetfilterEvaluator.evaluate(NetfilterFixtureRecorder.load(s).parse(), HOST_PROBE, HOST_ADDRESSES);
  }

  @Test
  void healthyGuestForwardsByDockersRuleAndMasqueradesToTheNicAddress() {
    Evaluation e = guest(Scenario.GUEST_HEALTHY);

    assertThat(e.verdict()).isEqualTo(PacketVerdict.ACCEPT);
    assertThat(e.hooks()).extracting(HookResult::hook)
        .containsExactly(Hook.PREROUTING, Hook.FORWARD, Hook.POSTROUTING);
    ChainResult forward = e.hook(Hook.FORWARD).orElseThrow().decidedBy().orElseThrow();
    assertThat(forward.chain().toString()).isEqualTo("ip filter FORWARD (iptables-nft)");
    assertThat(forward.verdict()).isEqualTo(PacketVerdict.ACCEPT);
    assertThat(forward.rule().iptablesText()).isEqualTo("-A FORWARD -i docker0 ! -o docker0 -j ACCEPT");
    assertThat(forward.rule().text()).isEqualTo("iifname \"docker0\" oifname != \"docker0\" accept");
    assertThat(forward.rule().handle()).isEqualTo(3);
    NatRewrite nat = e.sourceNat().orElseThrow();
    assertThat(nat.kind()).isEqualTo(Expression.NatKind.MASQUERADE);
    assertThat(nat.from()).isEqualTo("172.17.0.2");
    assertThat(nat.to()).isEqualTo("172.16.0.2");
    assertThat(nat.rule().iptablesText()).isEqualTo("-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE");
    assertThat(e.destinationNat()).isEmpty();
    assertThat(e.splitBrain().present()).isFalse();
    assertThat(e.splitBrain().backendsInUse()).containsExactly(Backend.IPTABLES_NFT);
    assertThat(e.certain()).isTrue();
    assertThat(e.notes()).isEmpty();
  }

  @Test
  void guestWithoutMasqueradeForwardsButDoesNotTranslate() {
    Evaluation e = guest(Scenario.GUEST_NO_MASQUERADE);

    assertThat(e.verdict()).isEqualTo(PacketVerdict.ACCEPT);
    assertThat(e.rewrites()).isEmpty();
    ChainResult post = e.hook(Hook.POSTROUTING).orElseThrow().decidedBy().orElseThrow();
    assertThat(post.chain().chain()).isEqualTo("POSTROUTING");
    assertThat(post.byPolicy()).isTrue();
  }

  @Test
  void guestForwardDropStopsAtThePolicyOfIpFilterForward() {
    Evaluation e = guest(Scenario.GUEST_FORWARD_DROP);

    assertThat(e.verdict()).isEqualTo(PacketVerdict.DROP);
    HookResult at = e.stoppedAt().orElseThrow();
    assertThat(at.hook()).isEqualTo(Hook.FORWARD);
    ChainResult c = at.decidedBy().orElseThrow();
    assertThat(c.chain().toString()).isEqualTo("ip filter FORWARD (iptables-nft)");
    assertThat(c.byPolicy()).isTrue();
    assertThat(c.describe()).isEqualTo("ip filter FORWARD (iptables-nft): drop by policy drop");
    assertThat(e.hook(Hook.POSTROUTING)).isEmpty();
    assertThat(e.rewrites()).isEmpty();
  }

  @Test
  void splitBrainIptablesNftAcceptsButNativeInetFilterDrops() {
    Evaluation e = guest(Scenario.GUEST_SPLIT_BRAIN);

    assertThat(e.verdict()).isEqualTo(PacketVerdict.DROP);
    HookResult forward = e.stoppedAt().orElseThrow();
    assertThat(forward.hook()).isEqualTo(Hook.FORWARD);
    assertThat(forward.chains()).extracting(c -> c.chain().toString(), ChainResult::verdict).containsExactly(
        org.assertj.core.groups.Tuple.tuple("ip filter FORWARD (iptables-nft)", PacketVerdict.ACCEPT),
        org.assertj.core.groups.Tuple.tuple("inet filter forward (nftables)", PacketVerdict.DROP));
    assertThat(forward.chains().get(0).rule().iptablesText()).isEqualTo("-A FORWARD -i docker0 ! -o docker0 -j ACCEPT");
    assertThat(forward.decidedBy().orElseThrow().byPolicy()).isTrue();
    SplitBrain sb = e.splitBrain();
    assertThat(sb.present()).isTrue();
    assertThat(sb.bothBackends()).isFalse();
    assertThat(sb.backendsInUse()).containsExactlyInAnyOrder(Backend.IPTABLES_NFT, Backend.NFTABLES);
    assertThat(sb.tablesInUse()).containsExactly("ip nat (iptables-nft)", "ip filter (iptables-nft)",
        "inet filter (nftables)");
    assertThat(sb.competingChains()).containsOnlyKeys(Hook.FORWARD);
    assertThat(sb.deciding().get(Hook.FORWARD)).containsExactly(
        "ip filter FORWARD (iptables-nft): accept by rule -A FORWARD -i docker0 ! -o docker0 -j ACCEPT",
        "decides: inet filter forward (nftables): drop by policy drop");
  }

  @Test
  void legacyGuestRulesEvaluateLikeIptablesNftOnes() {
    Evaluation e = guest(Scenario.GUEST_LEGACY);

    assertThat(e.verdict()).isEqualTo(PacketVerdict.ACCEPT);
    ChainResult forward = e.hook(Hook.FORWARD).orElseThrow().decidedBy().orElseThrow();
    assertThat(forward.chain().toString()).isEqualTo("ip filter FORWARD (iptables-legacy)");
    assertThat(forward.rule().evidence()).isEqualTo("-A FORWARD -i docker0 ! -o docker0 -j ACCEPT");
    assertThat(forward.rule().handle()).isEqualTo(2); // legacy rules are numbered by position
    assertThat(e.sourceNat().orElseThrow().to()).isEqualTo("172.16.0.2");
    assertThat(e.splitBrain().backendsInUse()).containsExactly(Backend.IPTABLES_LEGACY);
    assertThat(e.splitBrain().present()).isFalse();
  }

  @Test
  void legacyRulesBesideAnNftDropAreSplitBrainAcrossBackends() {
    Evaluation e = guest(Scenario.GUEST_LEGACY_SPLIT_BRAIN);

    assertThat(e.verdict()).isEqualTo(PacketVerdict.DROP);
    SplitBrain sb = e.splitBrain();
    assertThat(sb.bothBackends()).isTrue();
    assertThat(sb.backendsInUse()).containsExactlyInAnyOrder(Backend.IPTABLES_LEGACY, Backend.NFTABLES);
    ChainResult decider = e.stoppedAt().orElseThrow().decidedBy().orElseThrow();
    assertThat(decider.chain().toString()).isEqualTo("inet filter forward (nftables)");
    assertThat(sb.deciding().get(Hook.FORWARD)).anyMatch(l -> l.contains("(iptables-legacy)"))
        .anyMatch(l -> l.startsWith("decides: inet filter forward (nftables)"));
  }

  @Test
  void healthyHostAcceptsByPolicyAndMasqueradesToTheUplinkAddress() {
    Evaluation e = host(Scenario.HOST_HEALTHY);

    assertThat(e.verdict()).isEqualTo(PacketVerdict.ACCEPT);
    ChainResult forward = e.hook(Hook.FORWARD).orElseThrow().decidedBy().orElseThrow();
    assertThat(forward.chain().toString()).isEqualTo("ip layertrace_lab forward (nftables)");
    assertThat(forward.byPolicy()).isTrue();
    NatRewrite nat = e.sourceNat().orElseThrow();
    assertThat(nat.describe()).isEqualTo(
        "source 172.16.0.2 -> 203.0.113.2 (masquerade, ip layertrace_lab postrouting (nftables))");
    assertThat(nat.rule().evidence()).isEqualTo("ip saddr 172.16.0.0/30 oifname \"uplink0\" masquerade");
  }

  @Test
  void hostForwardDropStopsAtTheNftPolicy() {
    Evaluation e = host(Scenario.HOST_FORWARD_DROP);

    assertThat(e.verdict()).isEqualTo(PacketVerdict.DROP);
    assertThat(e.stoppedAt().orElseThrow().decidedBy().orElseThrow().describe())
        .isEqualTo("ip layertrace_lab forward (nftables): drop by policy drop");
  }

  @Test
  void hostWithoutMasqueradeDoesNotTranslate() {
    Evaluation e = host(Scenario.HOST_NO_MASQUERADE);

    assertThat(e.verdict()).isEqualTo(PacketVerdict.ACCEPT);
    assertThat(e.rewrites()).isEmpty();
  }

  @Test
  void masqueradeWithoutTheInterfaceAddressSaysSoInsteadOfGuessing() {
    Evaluation e = NetfilterEvaluator.evaluate(NetfilterFixtureRecorder.load(Scenario.GUEST_HEALTHY).parse(),
        GUEST_PROBE, Map.of());

    assertThat(e.sourceNat().orElseThrow().to()).isEmpty();
    assertThat(e.notes()).anyMatch(n -> n.contains("address of eth0 unknown"));
  }

  @Test
  void theReplyIsAcceptedByTheConntrackRuleThatIptablesNftSaveSpelledOut() {
    Flow reply = new Flow("198.51.100.10", "172.17.0.2", Protocol.ICMP, 0, 0, "eth0", "docker0",
        CtState.ESTABLISHED, PathKind.FORWARD);
    Evaluation e = NetfilterEvaluator.evaluate(NetfilterFixtureRecorder.load(Scenario.GUEST_HEALTHY).parse(),
        reply, GUEST_ADDRESSES);

    ChainResult forward = e.hook(Hook.FORWARD).orElseThrow().decidedBy().orElseThrow();
    assertThat(forward.verdict()).isEqualTo(PacketVerdict.ACCEPT);
    assertThat(forward.rule().evidence())
        .isEqualTo("-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
    assertThat(e.hook(Hook.POSTROUTING).orElseThrow().chains().get(0).note()).contains("first packet");
    assertThat(e.certain()).isTrue();
  }

  @Test
  void withoutIptablesNftSaveTheOpaqueConntrackMatchIsReportedUnknown() {
    NetfilterDump d = NetfilterFixtureRecorder.load(Scenario.GUEST_HEALTHY);
    NetfilterModel nftOnly = new NetfilterDump(d.nftJson(), "", "").parse();
    Flow reply = new Flow("198.51.100.10", "172.17.0.2", Protocol.ICMP, 0, 0, "eth0", "docker0",
        CtState.ESTABLISHED, PathKind.FORWARD);

    Evaluation e = NetfilterEvaluator.evaluate(nftOnly, reply, GUEST_ADDRESSES);

    ChainResult forward = e.hook(Hook.FORWARD).orElseThrow().decidedBy().orElseThrow();
    assertThat(forward.certain()).isFalse();
    assertThat(forward.unknownRules()).singleElement()
        .satisfies(r -> assertThat(r.text()).isEqualTo("oifname \"docker0\" xt match conntrack accept"));
    assertThat(e.certain()).isFalse();
    // The probe itself never reaches the unknown rule's decision: oifname docker0 is false for it.
    assertThat(NetfilterEvaluator.evaluate(nftOnly, GUEST_PROBE, GUEST_ADDRESSES).certain()).isTrue();
  }

  @Test
  void unreadableIptablesNftSaveIsANoteAndTheNftViewStays() {
    NetfilterDump d = NetfilterFixtureRecorder.load(Scenario.GUEST_HEALTHY);
    NetfilterModel model = new NetfilterDump(d.nftJson(), "*filter\n:FORWARD DROP [0:0]\n", "").parse();

    assertThat(model.notes()).singleElement().asString().contains("iptables-nft-save", "no COMMIT");
    assertThat(model).isEqualTo(new NetfilterModel(new NetfilterDump(d.nftJson(), "", "").parse().tables(),
        model.notes()));
  }

  @Test
  void dockerLikeRulesFollowJumpsAndReturnsToTheAcceptRule() {
    Evaluation e = guest(Scenario.GUEST_DOCKER_LIKE);

    ChainResult forward = e.hook(Hook.FORWARD).orElseThrow().decidedBy().orElseThrow();
    assertThat(forward.rule().iptablesText()).isEqualTo("-A FORWARD -i docker0 ! -o docker0 -j ACCEPT");
    assertThat(forward.jumps()).extracting(Rule::iptablesText).containsExactly(
        "-A FORWARD -j DOCKER-USER",
        "-A FORWARD -j DOCKER-ISOLATION-STAGE-1",
        "-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2");
    assertThat(e.sourceNat().orElseThrow().to()).isEqualTo("172.16.0.2");
    // PREROUTING's addrtype match is spelled out by iptables-nft-save: 198.51.100.10 is not local.
    assertThat(e.certain()).isTrue();
  }

  @Test
  void dockerLikePublishedPortIsDnattedThenAcceptedByTheDockerChain() {
    Flow inbound = new Flow("203.0.113.1", "172.16.0.2", Protocol.TCP, 40000, 8080, "eth0", "docker0",
        CtState.NEW, PathKind.FORWARD);

    Evaluation e = NetfilterEvaluator.evaluate(NetfilterFixtureRecorder.load(Scenario.GUEST_DOCKER_LIKE).parse(),
        inbound, GUEST_ADDRESSES);

    NatRewrite dnat = e.destinationNat().orElseThrow();
    assertThat(dnat.kind()).isEqualTo(Expression.NatKind.DNAT);
    assertThat(dnat.to()).isEqualTo("172.17.0.2");
    assertThat(dnat.port()).isEqualTo("80");
    assertThat(dnat.rule().chain()).isEqualTo("DOCKER");
    ChainResult forward = e.hook(Hook.FORWARD).orElseThrow().decidedBy().orElseThrow();
    assertThat(forward.verdict()).isEqualTo(PacketVerdict.ACCEPT);
    assertThat(forward.rule().chain()).isEqualTo("DOCKER");
    assertThat(forward.describe()).endsWith("(in chain DOCKER)");
    assertThat(e.verdict()).isEqualTo(PacketVerdict.ACCEPT);
  }

  @Test
  void addrtypeWithoutInterfaceAddressesIsUnknownNotAGuess() {
    Flow inbound = new Flow("203.0.113.1", "172.16.0.2", Protocol.TCP, 40000, 8080, "eth0", "docker0",
        CtState.NEW, PathKind.FORWARD);

    Evaluation e = NetfilterEvaluator.evaluate(NetfilterFixtureRecorder.load(Scenario.GUEST_DOCKER_LIKE).parse(),
        inbound, Map.of());

    ChainResult pre = e.hook(Hook.PREROUTING).orElseThrow().chains().get(0);
    assertThat(pre.unknownRules()).extracting(Rule::iptablesText)
        .containsExactly("-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER");
    assertThat(e.destinationNat()).isEmpty();
    assertThat(e.certain()).isFalse();
  }

  @Test
  void locallySentPacketsMeetOutputAndPostrouting() {
    Flow out = new Flow("172.16.0.2", "198.51.100.10", Protocol.UDP, 40000, 53, "", "eth0", CtState.NEW,
        PathKind.LOCAL_OUT);

    Evaluation e = NetfilterEvaluator.evaluate(NetfilterFixtureRecorder.load(Scenario.GUEST_DOCKER_LIKE).parse(),
        out, GUEST_ADDRESSES);

    assertThat(e.hooks()).extracting(HookResult::hook).containsExactly(Hook.OUTPUT, Hook.POSTROUTING);
    assertThat(e.hook(Hook.OUTPUT).orElseThrow().chains()).extracting(c -> c.chain().chain()).containsExactly("OUTPUT");
    assertThat(e.rewrites()).isEmpty(); // source 172.16.0.2 is outside 172.17.0.0/16
    assertThat(e.verdict()).isEqualTo(PacketVerdict.ACCEPT);
  }
}
