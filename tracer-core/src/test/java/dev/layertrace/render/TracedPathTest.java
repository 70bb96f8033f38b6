package dev.layertrace.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.model.Capture;
import dev.layertrace.model.Direction;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.LayerRef;
import dev.layertrace.model.Observation;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Probe;
import dev.layertrace.model.Protocol;
import dev.layertrace.model.SeenPacket;
import dev.layertrace.model.Verdict;
import dev.layertrace.testing.SampleCaptures;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The status rules of {@link TracedPath}, table-driven over the lab's 14-layer path:
 * container veth bridge fwd filter nat nic vmm tap fwd filter nat uplink remote.
 * Each row: observations ("layer-id=src", "layer-id=src>" for outgoing), outcome, verdict layer,
 * and the expected marks for the 14 layers.
 */
class TracedPathTest {
  static final String P = "p1";

  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of("guest-no-masquerade sample", SampleCaptures.guestNoMasquerade(), "✓✓✓✓✓✗!!!!!!!!"),
        Arguments.of("guest-forward-drop sample", SampleCaptures.guestForwardDrop(), "✓✓✓✓✗·········"),
        Arguments.of("healthy: translated at both NATs, reached",
            capture(List.of("lt-ctr/eth0=172.17.0.2", "lt-guest/veth-ctr=172.17.0.2", "lt-guest/docker0=172.17.0.2",
                "lt-guest/eth0=172.16.0.2", "lt-host/tap0=172.16.0.2", "lt-host/uplink0=203.0.113.2",
                "lt-inet/eth0=203.0.113.2"), Outcome.REACHED, null), "✓✓✓✓✓✓✓✓✓✓✓✓✓✓"),
        Arguments.of("untranslated after guest nat, no verdict layer (error): seen but not as expected",
            capture(List.of("lt-ctr/eth0=172.17.0.2", "lt-guest/veth-ctr=172.17.0.2", "lt-guest/docker0=172.17.0.2",
                "lt-guest/eth0=172.17.0.2"), Outcome.ERROR, null), "✓✓✓✓✓✓!·······"),
        Arguments.of("translated to an unexpected address",
            capture(List.of("lt-ctr/eth0=172.17.0.2", "lt-guest/veth-ctr=172.17.0.2", "lt-guest/docker0=172.17.0.2",
                "lt-guest/eth0=10.9.9.9"), Outcome.ERROR, null), "✓✓✓✓✓✓!·······"),
        Arguments.of("an observer gap: tap0 unseen though uplink saw it",
            capture(List.of("lt-ctr/eth0=172.17.0.2", "lt-guest/veth-ctr=172.17.0.2", "lt-guest/docker0=172.17.0.2",
                "lt-guest/eth0=172.16.0.2", "lt-host/uplink0=203.0.113.2", "lt-inet/eth0=203.0.113.2"),
                Outcome.REACHED, null), "✓✓✓✓✓✓✓✓!✓✓✓✓✓"),
        Arguments.of("stopped at a device (bridge): later decision layers not reached",
            capture(List.of("lt-ctr/eth0=172.17.0.2", "lt-guest/veth-ctr=172.17.0.2"), Outcome.STOPPED,
                new LayerRef(LayerKind.BRIDGE, "lt-guest", "docker0")), "✓✓✗···········"),
        Arguments.of("stopped at the VMM link: guest side seen, host side not",
            capture(List.of("lt-ctr/eth0=172.17.0.2", "lt-guest/veth-ctr=172.17.0.2", "lt-guest/docker0=172.17.0.2",
                "lt-guest/eth0=172.16.0.2"), Outcome.STOPPED, new LayerRef(LayerKind.VMM_LINK, null, null)),
            "✓✓✓✓✓✓✓✗······"),
        Arguments.of("verdict layer not on the path: nothing is marked stopped",
            capture(List.of("lt-ctr/eth0=172.17.0.2"), Outcome.STOPPED, new LayerRef(LayerKind.BRIDGE, "lt-other", "br0")),
            "✓·············"),
        Arguments.of("path-only capture: no probe, nothing reached",
            new Capture(Capture.SCHEMA_VERSION, "t", null, null, SampleCaptures.labGraph(), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of()), "··············"),
        Arguments.of("no probe could be sent, one verdict (a frozen VM): its layer is where it stopped",
            new Capture(Capture.SCHEMA_VERSION, "t", null, null, SampleCaptures.labGraph(), List.of(), List.of(),
                List.of(), List.of(), List.of(new dev.layertrace.model.Verdict("p9", Outcome.STOPPED,
                    new LayerRef(LayerKind.VMM_LINK, null, null), "vmm-not-relaying", "paused", List.of(), null)),
                List.of()), "·······✗······"),
        Arguments.of("other probes' observations and replies do not count",
            withExtra(capture(List.of("lt-ctr/eth0=172.17.0.2"), Outcome.ERROR, null), List.of(
                new Observation("other", "lt-guest/veth-ctr", Direction.REQUEST, 1, false, packet("172.17.0.2")),
                new Observation(P, "lt-guest/docker0", Direction.REPLY, 1, false, packet("198.51.100.10")))),
            "✓·············"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void statuses(String name, Capture capture, String expectedMarks) {
    String marks = TracedPath.of(capture).layers().stream().map(t -> t.status().mark(false))
        .collect(Collectors.joining());
    assertThat(marks).isEqualTo(expectedMarks);
  }

  @Test
  void notesSayWhy() {
    TracedPath p = TracedPath.of(SampleCaptures.guestNoMasquerade());
    assertThat(p.layer("lt-guest/eth0").orElseThrow().notes()).containsExactly("untranslated");
    assertThat(p.layer("lt-inet/eth0").orElseThrow().notes()).containsExactly("untranslated", "no reply");
    assertThat(p.layer("vmm").orElseThrow().notes()).containsExactly("passed, past the stopping layer");
    assertThat(p.stoppingLayer().orElseThrow().layer().id()).isEqualTo("lt-guest/nat");
    assertThat(p.kernels()).isEqualTo(2);

    TracedPath drop = TracedPath.of(SampleCaptures.guestForwardDrop());
    assertThat(drop.stoppingLayer().orElseThrow().notes()).containsExactly("kfree_skb at nft_do_chain: NETFILTER_DROP");
  }

  @Test
  void unexpectedAddressIsNamed() {
    TracedPath p = TracedPath.of(capture(List.of("lt-guest/eth0=10.9.9.9"), Outcome.ERROR, null));
    assertThat(p.layer("lt-guest/eth0").orElseThrow().notes()).containsExactly("source 10.9.9.9, expected 172.16.0.2");
  }

  @Test
  void outgoingSightingWins() {
    Capture c = withExtra(capture(List.of("lt-guest/eth0=172.17.0.2"), Outcome.ERROR, null), List.of(
        new Observation(P, "lt-guest/eth0", Direction.REQUEST, 9, true, packet("172.16.0.2"))));
    assertThat(TracedPath.of(c).layer("lt-guest/eth0").orElseThrow().packet().src()).isEqualTo("172.16.0.2");
  }

  @Test
  void choosesTheGivenProbeAndRefusesAnUnknownOne() {
    Capture c = SampleCaptures.guestForwardDrop();
    assertThat(TracedPath.of(c, "a71e").probe().id()).isEqualTo("a71e");
    assertThatThrownBy(() -> TracedPath.of(c, "zzzz"))
        .isInstanceOfSatisfying(LayertraceException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessage("the capture has no probe 'zzzz' (probes: a71e)");
  }

  static SeenPacket packet(String src) {
    return new SeenPacket("icmp", src, "198.51.100.10", null, null, 64, 84, null, null, 8, 1, 1);
  }

  static Capture capture(List<String> seen, Outcome outcome, LayerRef stop) {
    List<Observation> obs = new ArrayList<>();
    long t = 0;
    for (String s : seen) {
      String[] kv = s.split("=");
      boolean out = kv[1].endsWith(">");
      obs.add(new Observation(P, kv[0], Direction.REQUEST, t += 1000, out, packet(kv[1].replace(">", ""))));
    }
    Verdict v = new Verdict(P, outcome, stop, null, null, List.of(), null);
    return new Capture(Capture.SCHEMA_VERSION, "t", null, null, SampleCaptures.labGraph(),
        List.of(new Probe(P, Protocol.ICMP, "172.17.0.2", "198.51.100.10", null, null, 84, false, 64)),
        obs, List.of(), List.of(), List.of(v), List.of());
  }

  static Capture withExtra(Capture c, List<Observation> more) {
    List<Observation> all = new ArrayList<>(c.observations());
    all.addAll(more);
    return new Capture(c.schemaVersion(), c.toolVersion(), c.createdAt(), c.host(), c.graph(), c.probes(), all,
        c.kernelEvents(), c.findings(), c.verdicts(), c.notes());
  }
}
