package dev.layertrace.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.lab.ExpectedVerdict;
import dev.layertrace.lab.LabFault;
import dev.layertrace.model.Direction;
import dev.layertrace.model.Finding;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.LayerRef;
import dev.layertrace.model.Observation;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Probe;
import dev.layertrace.model.Protocol;
import dev.layertrace.model.SeenPacket;
import dev.layertrace.model.Severity;
import dev.layertrace.model.Verdict;
import dev.layertrace.testing.SampleCaptures;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine against every fault of the lab catalog ({@link LabFault}), fed with what the kernel
 * showed for that fault. Rows marked MEASURED replay DESIGN.md's table "What the kernel showed here"
 * (tcpdump on every interface + skb:kfree_skb); the others are what the same mechanisms give for
 * that change (a device down → discovery's link-down finding, a stopped relay → silence between the
 * taps) and are checked live by the root trace tests on the lab.
 */
class VerdictEngineCatalogTest {
  static final String PROBE = "3f9c";
  static final String CTR = "172.17.0.2";
  static final String GUEST = "172.16.0.2";
  static final String HOST = "203.0.113.2";
  static final String REMOTE = "198.51.100.10";
  static final String[] OUT_PATH = {"lt-ctr/eth0", "lt-guest/veth-ctr", "lt-guest/docker0", "lt-guest/eth0",
      "lt-host/tap0", "lt-host/uplink0", "lt-inet/eth0"};

  /** Builder of one scenario's facts. */
  static final class Facts {
    final List<Observation> obs = new ArrayList<>();
    final List<ArpSighting> arp = new ArrayList<>();
    final List<DropEvent> drops = new ArrayList<>();
    final List<Finding> findings = new ArrayList<>();
    final List<RuleDecision> rules = new ArrayList<>();
    SendResult send = SendResult.SENT;
    int size = 84;
    long t;

    /** The request seen at the first {@code n} devices of the path, with the sources a healthy NAT gives. */
    Facts requestThrough(int n, boolean guestNat, boolean hostNat) {
      for (int i = 0; i < n; i++) {
        String layer = OUT_PATH[i];
        String src = i < 3 ? CTR : i < 5 ? (guestNat ? GUEST : CTR) : (hostNat ? HOST : guestNat ? GUEST : CTR);
        int ttl = i < 3 ? 64 : i < 5 ? 63 : 62;
        boolean out = layer.equals("lt-ctr/eth0") || layer.endsWith("/eth0") && layer.startsWith("lt-guest")
            || layer.endsWith("uplink0");
        obs.add(new Observation(PROBE, layer, Direction.REQUEST, t += 20_000, out, packet(src, REMOTE, ttl, 8)));
      }
      return this;
    }

    Facts replyBack() {
      String[] back = {"lt-inet/eth0", "lt-host/uplink0", "lt-host/tap0", "lt-guest/eth0", "lt-guest/docker0",
          "lt-guest/veth-ctr", "lt-ctr/eth0"};
      for (String layer : back) {
        String dst = layer.startsWith("lt-inet") || layer.endsWith("uplink0") ? HOST
            : layer.startsWith("lt-host") || layer.equals("lt-guest/eth0") ? GUEST : CTR;
        obs.add(new Observation(PROBE, layer, Direction.REPLY, t += 20_000, layer.equals("lt-inet/eth0"),
            packet(REMOTE, dst, 64, 0)));
      }
      return this;
    }

    Facts drop(String layer, String ns, String dev, String location, String reason, DropEvent.Subject s) {
      drops.add(new DropEvent(layer, ns, dev, location, reason, s,
          s == DropEvent.Subject.PROBE ? Direction.REQUEST : null, t += 10_000));
      return this;
    }

    Facts arpRequest(String layer, String sender, String target, boolean out) {
      arp.add(new ArpSighting(layer, true, sender, target, out, t += 5_000));
      return this;
    }

    Facts finding(LayerKind kind, String ns, String iface, String code, String message) {
      findings.add(new Finding(new LayerRef(kind, ns, iface), code, Severity.ERROR, message, null, List.of()));
      return this;
    }

    static SeenPacket packet(String src, String dst, int ttl, int type) {
      return new SeenPacket("icmp", src, dst, null, null, ttl, 84, null, null, type, 0x3f9c, 1);
    }

    TraceFacts build(PathGraph g, boolean kernel) {
      Probe p = new Probe(PROBE, Protocol.ICMP, CTR, REMOTE, null, null, size, size > 84, 64);
      return new TraceFacts(g, p, send, obs, arp, drops, findings, rules, kernel);
    }
  }

  static final Map<LabFault, Consumer<Facts>> SCENARIOS = new EnumMap<>(LabFault.class);

  static {
    // MEASURED: sendto fails with ENETUNREACH, nothing anywhere.
    SCENARIOS.put(LabFault.CTR_NO_DEFAULT_ROUTE, f -> f.send = SendResult.failed("ENETUNREACH", "Network is unreachable"));
    // veth-ctr down: lt-ctr eth0 loses carrier; the ARP never gets out; discovery sees veth-ctr down.
    SCENARIOS.put(LabFault.VETH_PEER_DOWN, f -> f.arpRequest("lt-ctr/eth0", CTR, "172.17.0.1", true)
        .finding(LayerKind.VETH, "lt-guest", "veth-ctr", "link-down", "veth-ctr is administratively down"));
    // MEASURED: last seen veth-ctr; br_dev_xmit NO_TX_TARGET for the guest's ARP out of a portless docker0.
    SCENARIOS.put(LabFault.VETH_DETACHED, f -> f.requestThrough(2, true, true)
        .drop("lt-guest/docker0", "lt-guest", "docker0", "br_dev_xmit", "NO_TX_TARGET", DropEvent.Subject.ARP)
        .drop("lt-guest/docker0", "lt-guest", "docker0", "__dev_queue_xmit", "QDISC_DROP", DropEvent.Subject.ARP));
    // MEASURED: not even lt-ctr eth0 sees the probe; the ARP dies at br_handle_frame.
    SCENARIOS.put(LabFault.BRIDGE_DOWN, f -> f.arpRequest("lt-ctr/eth0", CTR, "172.17.0.1", true)
        .drop("lt-guest/veth-ctr", "lt-guest", "veth-ctr", "br_handle_frame", "BRIDGE_INGRESS_STP_STATE",
            DropEvent.Subject.ARP));
    // MEASURED: last seen docker0; ip_error IP_INADDRERRORS.
    SCENARIOS.put(LabFault.GUEST_IP_FORWARD_OFF, f -> f.requestThrough(3, true, true)
        .drop("lt-guest/docker0", "lt-guest", "docker0", "ip_error", "IP_INADDRERRORS", DropEvent.Subject.PROBE));
    // MEASURED: last seen docker0; nft_do_chain NETFILTER_DROP.
    SCENARIOS.put(LabFault.GUEST_FORWARD_DROP, f -> f.requestThrough(3, true, true)
        .drop("lt-guest/docker0", "lt-guest", "docker0", "nft_do_chain", "NETFILTER_DROP", DropEvent.Subject.PROBE));
    // MEASURED: arrives at lt-inet eth0 with source 172.17.0.2; no reply, no drop.
    SCENARIOS.put(LabFault.GUEST_NO_MASQUERADE, f -> f.requestThrough(7, false, false));
    // The guest NIC down takes its routes with it: no route in the guest; discovery sees eth0 down.
    SCENARIOS.put(LabFault.GUEST_NIC_DOWN, f -> f.requestThrough(3, true, true)
        .drop("lt-guest/docker0", "lt-guest", "docker0", "ip_route_input_slow", "IP_INNOROUTES",
            DropEvent.Subject.PROBE)
        .finding(LayerKind.NIC, "lt-guest", "eth0", "link-down", "eth0 is administratively down"));
    // Seen leaving lt-guest eth0, never at lt-host tap0, no drop event, every link up.
    SCENARIOS.put(LabFault.VMM_STALLED, f -> f.requestThrough(4, true, true));
    // As vmm-stalled on the wire, but discovery sees tap0 down.
    SCENARIOS.put(LabFault.TAP_DOWN, f -> f.requestThrough(4, true, true)
        .finding(LayerKind.TAP, "lt-host", "tap0", "link-down", "tap0 is administratively down"));
    SCENARIOS.put(LabFault.HOST_IP_FORWARD_OFF, f -> f.requestThrough(5, true, true)
        .drop("lt-host/tap0", "lt-host", "tap0", "ip_error", "IP_INADDRERRORS", DropEvent.Subject.PROBE));
    // MEASURED: last seen lt-host tap0; nft_do_chain NETFILTER_DROP.
    SCENARIOS.put(LabFault.HOST_FORWARD_DROP, f -> f.requestThrough(5, true, true)
        .drop("lt-host/tap0", "lt-host", "tap0", "nft_do_chain", "NETFILTER_DROP", DropEvent.Subject.PROBE));
    // MEASURED: arrives at lt-inet eth0 with source 172.16.0.2; no reply.
    SCENARIOS.put(LabFault.HOST_NO_MASQUERADE, f -> f.requestThrough(7, true, false));
    // The uplink down takes the host's default route: no route on the host; discovery sees uplink0 down.
    SCENARIOS.put(LabFault.UPLINK_DOWN, f -> f.requestThrough(5, true, true)
        .drop("lt-host/tap0", "lt-host", "tap0", "ip_route_input_slow", "IP_INNOROUTES", DropEvent.Subject.PROBE)
        .finding(LayerKind.UPLINK, "lt-host", "uplink0", "link-down", "uplink0 is administratively down"));
    // MEASURED (1478 B, DF): last seen docker0; ip_forward PKT_TOO_BIG, then the frag-needed NETFILTER_DROP
    // (a new skb the guest made, not the probe's).
    SCENARIOS.put(LabFault.MTU_BLACKHOLE, f -> {
      f.size = 1500;
      f.requestThrough(3, true, true)
          .drop("lt-guest/docker0", "lt-guest", "docker0", "ip_forward", "PKT_TOO_BIG", DropEvent.Subject.PROBE)
          .drop(null, null, null, "nft_do_chain", "NETFILTER_DROP", DropEvent.Subject.UNBOUND);
    });
    // MEASURED (via 172.16.0.9 onlink): last seen docker0, the ARP for 172.16.0.9 unanswered on eth0.
    SCENARIOS.put(LabFault.GUEST_WRONG_GATEWAY, f -> f.requestThrough(3, true, true)
        .arpRequest("lt-guest/eth0", GUEST, "172.16.0.9", true)
        .arpRequest("lt-guest/eth0", GUEST, "172.16.0.9", true));
    // Docker's iptables-nft rules accept; a native nft table on the same hook drops.
    SCENARIOS.put(LabFault.NFT_SPLIT_BRAIN, f -> {
      f.requestThrough(3, true, true)
          .drop("lt-guest/docker0", "lt-guest", "docker0", "nft_do_chain", "NETFILTER_DROP", DropEvent.Subject.PROBE);
      f.findings.add(new Finding(new LayerRef(LayerKind.FILTER, "lt-guest", null), "split-brain", Severity.WARNING,
          "rules in both backends on the forward hook: iptables-nft (table ip filter, chain FORWARD: accepts"
              + " docker0) and nft (table inet filter, chain forward: policy drop)", null, List.of()));
      f.rules.add(new RuleDecision(new LayerRef(LayerKind.FILTER, "lt-guest", null), true,
          "table inet filter chain forward: policy drop", List.of("iptables-nft", "nft"),
          "ip netns exec lt-guest nft delete table inet filter"));
    });
  }

  static Verdict run(LabFault fault, boolean kernelEvents) {
    Facts f = new Facts();
    SCENARIOS.get(fault).accept(f);
    if (!kernelEvents) {
      f.drops.clear();
    }
    return VerdictEngine.decide(f.build(SampleCaptures.labGraph(), kernelEvents));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(LabFault.class)
  void everyCatalogFaultGetsItsExpectedVerdict(LabFault fault) {
    assertThat(SCENARIOS).as("a scenario for every catalog fault").containsKey(fault);
    Verdict v = run(fault, true);
    ExpectedVerdict want = fault.expectedVerdict();
    assertThat(want.matches(v)).as("%s: want %s, got %s · %s · %s%n%s", fault.word(), want.describe(),
        v.outcome().word(), v.layer() == null ? "-" : v.layer().label(), v.cause(), String.join("\n", v.evidence()))
        .isTrue();
    assertThat(v.explanation()).isNotBlank();
    assertThat(v.evidence()).isNotEmpty();
  }

  @Test
  void theKernelsDropReasonIsCitedWhereItGaveOne() {
    assertThat(run(LabFault.GUEST_IP_FORWARD_OFF, true).evidence())
        .contains("kernel lt-guest: kfree_skb at ip_error: IP_INADDRERRORS (skb last seen on docker0)");
    assertThat(run(LabFault.GUEST_FORWARD_DROP, true).evidence()).anyMatch(e -> e.contains("NETFILTER_DROP"));
    assertThat(run(LabFault.MTU_BLACKHOLE, true).evidence()).anyMatch(e -> e.contains("ip_forward: PKT_TOO_BIG"));
    assertThat(run(LabFault.BRIDGE_DOWN, true).evidence()).anyMatch(e -> e.contains("BRIDGE_INGRESS_STP_STATE"));
    assertThat(run(LabFault.VETH_DETACHED, true).evidence()).anyMatch(e -> e.contains("br_dev_xmit: NO_TX_TARGET"));
  }

  @Test
  void fixesAreConcreteCommandsForTheNamespace() {
    assertThat(run(LabFault.GUEST_IP_FORWARD_OFF, true).fix())
        .isEqualTo("ip netns exec lt-guest sysctl -w net.ipv4.ip_forward=1");
    assertThat(run(LabFault.GUEST_NO_MASQUERADE, true).fix())
        .isEqualTo("ip netns exec lt-guest iptables -t nat -A POSTROUTING -s 172.17.0.0/16 -o eth0 -j MASQUERADE");
    assertThat(run(LabFault.HOST_NO_MASQUERADE, true).fix())
        .isEqualTo("ip netns exec lt-host iptables -t nat -A POSTROUTING -s 172.16.0.0/30 -o uplink0 -j MASQUERADE");
    assertThat(run(LabFault.CTR_NO_DEFAULT_ROUTE, true).fix())
        .isEqualTo("ip netns exec lt-ctr ip route replace default via 172.17.0.1 dev eth0");
    assertThat(run(LabFault.GUEST_WRONG_GATEWAY, true).fix())
        .isEqualTo("ip netns exec lt-guest ip route replace default via 172.16.0.1 dev eth0");
    assertThat(run(LabFault.VETH_DETACHED, true).fix())
        .isEqualTo("ip netns exec lt-guest ip link set dev veth-ctr master docker0");
    assertThat(run(LabFault.TAP_DOWN, true).fix()).isEqualTo("ip netns exec lt-host ip link set dev tap0 up");
    assertThat(run(LabFault.VMM_STALLED, true).fix()).startsWith("kill -CONT 4242");
    assertThat(run(LabFault.MTU_BLACKHOLE, true).fix()).isEqualTo("ip netns exec lt-guest ip link set dev eth0 mtu 1500");
  }

  @Test
  void splitBrainEvidenceNamesBothBackends() {
    Verdict v = run(LabFault.NFT_SPLIT_BRAIN, true);
    assertThat(String.join("\n", v.evidence())).contains("iptables-nft").contains("nft (table inet filter");
    assertThat(v.fix()).isEqualTo("ip netns exec lt-guest nft delete table inet filter");
  }

  @Test
  void healthyPathIsReachedWithTheReplyAtTheSource() {
    Facts f = new Facts().requestThrough(7, true, true).replyBack();
    Verdict v = VerdictEngine.decide(f.build(SampleCaptures.labGraph(), true));
    assertThat(v.outcome()).isEqualTo(Outcome.REACHED);
    assertThat(v.layer()).isNull();
  }

  @Test
  void withoutKernelEventsTheObservationsStillTellTheNatAndVmmStories() {
    assertThat(LabFault.GUEST_NO_MASQUERADE.expectedVerdict().matches(run(LabFault.GUEST_NO_MASQUERADE, false)))
        .isTrue();
    assertThat(LabFault.VMM_STALLED.expectedVerdict().matches(run(LabFault.VMM_STALLED, false))).isTrue();
    Verdict blind = run(LabFault.GUEST_FORWARD_DROP, false);
    assertThat(blind.outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(blind.evidence()).anyMatch(e -> e.startsWith("kernel: drop events unavailable"));
  }

  @Test
  void aReplyDroppedOnTheWayBackIsReplyLostWhereItWasLastSeen() {
    Facts f = new Facts().requestThrough(7, true, true);
    f.obs.add(new Observation(PROBE, "lt-inet/eth0", Direction.REPLY, 200_000, true, Facts.packet(REMOTE, HOST, 64, 0)));
    f.obs.add(new Observation(PROBE, "lt-host/uplink0", Direction.REPLY, 210_000, false,
        Facts.packet(REMOTE, HOST, 64, 0)));
    Verdict v = VerdictEngine.decide(f.build(SampleCaptures.labGraph(), true));
    assertThat(v.outcome()).isEqualTo(Outcome.REPLY_LOST);
    assertThat(v.layer().netns()).isEqualTo("lt-host");
  }
}
