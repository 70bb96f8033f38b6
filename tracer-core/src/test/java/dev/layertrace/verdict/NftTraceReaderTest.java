package dev.layertrace.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.model.LayerKind;
import dev.layertrace.model.LayerRef;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code nft -a monitor trace} output recorded on a copy of the lab (lt-trt-*) by
 * {@code RuleTraceRootTest} with {@code -Dlt.record.nfttrace=DIR}, read back into decisions.
 */
class NftTraceReaderTest {
  static final String OWN = "layertrace_trace_16369";
  /** The lab's tables: Docker's iptables-nft rules, the host's nft table, the split-brain table. */
  static final Map<String, String> BACKENDS = Map.of("ip filter", "iptables-nft", "ip nat", "iptables-nft",
      "ip layertrace_lab", "nftables", "inet filter", "nftables");

  static Stream<Arguments> recordings() {
    return Stream.of(
        Arguments.of("guest-forward-drop-lt-trt-guest", "lt-trt-guest",
            List.of("! ip filter FORWARD (iptables-nft): policy drop")),
        Arguments.of("guest-forward-drop-lt-trt-host", "lt-trt-host", List.of()),
        Arguments.of("host-forward-drop-lt-trt-host", "lt-trt-host",
            List.of("! ip layertrace_lab forward (nftables): policy drop")),
        Arguments.of("nft-split-brain-lt-trt-guest", "lt-trt-guest",
            List.of("! inet filter forward (nftables): policy drop")),
        Arguments.of("healthy-udp-lt-trt-host", "lt-trt-host",
            List.of("  ip layertrace_lab forward (nftables): policy accept",
                "  ip layertrace_lab postrouting (nftables): rule handle 3 'ip saddr 172.16.0.0/30 oifname \"uplink0\""
                    + " masquerade' → accept")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordings")
  void recordedTraceGivesTheDecidingChains(String fixture, String netns, List<String> want) throws IOException {
    List<RuleDecision> got = NftTraceReader.decisions(netns, lines(fixture), OWN,
        (family, table) -> BACKENDS.get(family + " " + table));
    assertThat(got).allSatisfy(d -> assertThat(d.layer()).isEqualTo(LayerRef.of(LayerKind.FILTER, netns, null)));
    assertThat(got.stream().map(d -> (d.stops() ? "! " : "  ") + d.rule()).toList()).isEqualTo(want);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("healthy")
  void ownTableIsNeverADecisionAndTheReplyIsTracedToo(String fixture) throws IOException {
    List<String> lines = lines(fixture);
    assertThat(NftTraceReader.parse(lines)).anyMatch(e -> e.table().equals(OWN));
    List<RuleDecision> got = NftTraceReader.decisions("lt-trt-guest", lines, OWN, null);
    assertThat(got).isNotEmpty().noneMatch(d -> d.rule().contains(OWN)).noneMatch(RuleDecision::stops);
    assertThat(got).anyMatch(d -> d.rule().startsWith("ip filter FORWARD: rule handle") && d.rule().endsWith("→ accept"));
  }

  static Stream<String> healthy() {
    return Stream.of("healthy-icmp-lt-trt-guest", "healthy-tcp-lt-trt-guest", "healthy-udp-lt-trt-guest");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordings")
  void aFilteredVerdictCitesTheDropAndANativePolicyGetsAnNftFix(String fixture, String netns, List<String> want)
      throws IOException {
    List<RuleDecision> got = NftTraceReader.decisions(netns, lines(fixture), OWN,
        (family, table) -> BACKENDS.get(family + " " + table));
    Verdict v = new Verdict("1234", Outcome.STOPPED, LayerRef.of(LayerKind.FILTER, netns, null), "filtered", "x",
        List.of(), "iptables -I FORWARD …");
    Verdict out = RuleTraceEvidence.apply(List.of(v), got, List.of("rule-trace " + netns + ": legacy note")).get(0);
    for (String w : want) {
      assertThat(out.evidence()).contains("rule filter " + netns + ": " + w.substring(2));
    }
    assertThat(out.evidence()).contains("rule-trace " + netns + ": legacy note");
    if (fixture.startsWith("nft-split-brain") || fixture.startsWith("host-forward-drop")) {
      assertThat(out.fix()).startsWith("ip netns exec " + netns + " nft insert rule ")
          .endsWith(" forward ip saddr " + (fixture.startsWith("host") ? "172.16.0.2" : "172.17.0.2")
              + " ip daddr 198.51.100.10 accept");
    } else {
      assertThat(out.fix()).isEqualTo("iptables -I FORWARD …");
    }
  }

  @org.junit.jupiter.api.Test
  void anEngineFixWithTheRightToolIsKept() throws IOException {
    String ns = "lt-trt-guest";
    String engineFix = "ip netns exec " + ns + " nft insert rule inet filter forward iifname \"docker0\" oifname \"eth0\""
        + " accept";
    List<RuleDecision> got = NftTraceReader.decisions(ns, lines("nft-split-brain-lt-trt-guest"), OWN,
        (family, table) -> BACKENDS.get(family + " " + table));
    Verdict v = new Verdict("1234", Outcome.STOPPED, LayerRef.of(LayerKind.FILTER, ns, null), "filtered", "x",
        List.of(), engineFix);
    assertThat(RuleTraceEvidence.apply(List.of(v), got, List.of()).get(0).fix()).isEqualTo(engineFix);
  }

  static List<String> lines(String fixture) throws IOException {
    try (InputStream in = NftTraceReaderTest.class.getResourceAsStream("/nfttrace/" + fixture + ".txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }
}
