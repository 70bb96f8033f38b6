package dev.layertrace.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.discover.DecodingHostView;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.discover.PathRequest;
import dev.layertrace.discover.PathResolver;
import dev.layertrace.discover.RulesetHook;
import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Protocol;
import dev.layertrace.model.Verdict;
import dev.layertrace.sys.Commands;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.LabSystem;
import dev.layertrace.sys.LiveHost;
import dev.layertrace.sys.NftRuleTrace;
import dev.layertrace.testing.RootOnly;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --rule-trace} and {@code --mtu-sweep} on a private copy of the lab ({@code lt-trt-ctr} …,
 * veth in place of the relay): the filter faults name the deciding chain and rule; nothing is left
 * behind; a stale table of a dead process is swept; the MTU black hole is measured.
 */
@RootOnly
class RuleTraceRootTest {
  static final LabTopology T = LabTopology.copy("lt-trt-", LabTopology.VmmLink.VETH);
  static LabSystem lab;

  @BeforeAll
  static void up() {
    lab = new LabSystem(T, new LabRuntime(Path.of("/run/layertrace/lt-trt-lab")), List.of());
    lab.up();
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.down();
    }
  }

  static DiscoveredPath discover(Protocol p, int port) {
    try (LiveHost live = LiveHost.scan()) {
      return new PathResolver(new DecodingHostView(live), new RulesetHook(live::rulesets))
          .resolve(new PathRequest(T.ctr(), "netns:" + T.ctr(), LabTopology.REMOTE, p, port));
    }
  }

  record Traced(Verdict verdict, Map<String, List<String>> raw, List<String> notes) {}

  static Traced traceWithRules(Protocol p) throws Exception {
    Inet4Address dst = (Inet4Address) InetAddress.getByName(LabTopology.REMOTE);
    int port = p == Protocol.ICMP ? 0 : p == Protocol.UDP ? 33434 : 80;
    DiscoveredPath path = discover(p, port);
    ProbeSpec spec = new ProbeSpec(p, null, dst, port, 0, false, 64);
    List<ProbeId> ids = ProbeId.allocate(1, new Random());
    TraceSession.Request req = new TraceSession.Request(path.graph(), path.findings(), List.of(), spec, 1,
        "layertrace-" + ProcessHandle.current().pid() + "-rt");
    try (TraceSession s = TraceSession.open(req, ids); RuleTracing rules = RuleTracing.create(true)) {
      rules.start(path.graph(), spec, ids);
      TraceSession.Result r = s.run(ids, 0);
      Verdict v = rules.apply(r.verdicts()).get(0);
      return new Traced(v, rules.rawLines(), rules.notes());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = LabFault.class, names = {"GUEST_FORWARD_DROP", "HOST_FORWARD_DROP", "NFT_SPLIT_BRAIN"})
  void filterFaultsNameTheDecidingChain(LabFault fault) throws Exception {
    lab.breakFault(fault);
    try {
      Traced t = traceWithRules(Protocol.ICMP);
      Verdict v = t.verdict();
      String ev = String.join("\n", v.evidence());
      System.out.println(fault.word() + ": " + v.outcome() + " " + v.layer() + " " + v.cause() + "\n  " + ev
          .replace("\n", "\n  ") + "\n  fix: " + v.fix());
      record(fault.word(), t);
      assertThat(v.outcome()).isEqualTo(Outcome.STOPPED);
      assertThat(v.cause()).isEqualTo("filtered");
      switch (fault) {
        case GUEST_FORWARD_DROP -> assertThat(ev)
            .contains("rule filter " + T.guest() + ": ip filter FORWARD (iptables-nft): policy drop");
        case HOST_FORWARD_DROP -> assertThat(ev)
            .contains("rule filter " + T.host() + ": ip " + LabTopology.HOST_NFT_TABLE + " forward (nftables): policy drop");
        case NFT_SPLIT_BRAIN -> {
          assertThat(ev).contains("rule filter " + T.guest() + ": inet filter forward (nftables): policy drop");
          // Both chains hook forward at priority 0; the native table, added last, runs first here and
          // drops, so the iptables-nft chain never sees the probe: the trace names the one that decided.
          assertThat(ev).doesNotContain("ip filter FORWARD (iptables-nft): policy drop");
          assertThat(v.fix()).startsWith("ip netns exec " + T.guest() + " nft insert rule inet filter forward");
        }
        default -> throw new AssertionError(fault);
      }
    } finally {
      lab.heal(fault);
      lab.reach(20, 200);
    }
    assertNoTraceTables();
  }

  @Test
  void healthyTraceWithRuleTraceIsStillReachedAndLeavesNoTable() throws Exception {
    for (Protocol p : Protocol.values()) {
      Traced t = traceWithRules(p);
      assertThat(t.verdict().outcome()).as(String.join("\n", t.verdict().evidence())).isEqualTo(Outcome.REACHED);
      record("healthy-" + p.word(), t);
      assertThat(t.notes()).as(p.word()).anyMatch(n -> n.contains("ip filter FORWARD (iptables-nft): rule handle")
          && n.contains("→ accept"));
    }
    assertNoTraceTables();
  }

  @Test
  void iptablesLegacyRulesAreNamedAsInvisibleToTheTrace() throws Exception {
    List<String> rule = List.of("ip", "netns", "exec", T.guest(), "iptables-legacy", "-A", "FORWARD", "-s",
        "192.0.2.1", "-j", "DROP");
    lab.breakFault(LabFault.GUEST_FORWARD_DROP);
    Commands.run(rule, null, Duration.ofSeconds(10)).orThrow();
    try {
      Traced t = traceWithRules(Protocol.ICMP);
      assertThat(t.verdict().evidence()).contains("rule-trace " + T.guest() + ": rules in iptables-legacy are not"
          + " nf_tables rules: nft tracing cannot see them (ip filter FORWARD)");
      assertThat(t.verdict().evidence()).contains("rule filter " + T.guest() + ": ip filter FORWARD (iptables-nft):"
          + " policy drop");
    } finally {
      List<String> delete = new java.util.ArrayList<>(rule);
      delete.set(delete.indexOf("-A"), "-D");
      Commands.run(delete, null, Duration.ofSeconds(10));
      lab.heal(LabFault.GUEST_FORWARD_DROP);
      lab.reach(20, 200);
    }
    assertNoTraceTables();
  }

  @Test
  void sweepRemovesTheTableOfADeadProcessOnly() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    long dead = gone.pid();
    String stale = RuleTraceTable.name(dead);
    String alive = RuleTraceTable.name(ProcessHandle.current().pid());
    nft(T.guest(), "add", "table", "inet", stale);
    nft(T.host(), "add", "table", "inet", alive);
    try {
      List<String> removed = NftRuleTrace.sweepStale();
      assertThat(removed).contains("nft table inet " + stale + " in " + T.guest());
      assertThat(nft(T.guest(), "list", "tables")).doesNotContain(stale);
      assertThat(nft(T.host(), "list", "tables")).contains(alive);
    } finally {
      nft(T.guest(), "delete", "table", "inet", stale);
      nft(T.host(), "delete", "table", "inet", alive);
    }
  }

  @Test
  void mtuSweepFindsTheBlackhole() throws Exception {
    lab.breakFault(LabFault.MTU_BLACKHOLE);
    try {
      DiscoveredPath path = discover(Protocol.ICMP, 0);
      Inet4Address dst = (Inet4Address) InetAddress.getByName(LabTopology.REMOTE);
      long t0 = System.nanoTime();
      MtuSweep.Result r = MtuSweep.run(path.graph(), MtuSweep.upperBound(path.graph()), size -> TraceSession.trace(
          new TraceSession.Request(path.graph(), path.findings(), List.of(), new ProbeSpec(Protocol.ICMP, null, dst, 0,
              size, true, 64), 1, "layertrace-" + ProcessHandle.current().pid() + "-mtu")).verdicts().get(0));
      System.out.printf("%s (%.0f ms)%n", r.summary(), (System.nanoTime() - t0) / 1e6);
      assertThat(r.largestPassing()).isEqualTo(1400);
      assertThat(r.smallestFailing()).isEqualTo(1401);
      assertThat(r.narrowest()).hasValueSatisfying(l -> {
        assertThat(l.netns()).isEqualTo(T.guest());
        assertThat(l.iface()).isEqualTo("eth0");
        assertThat(l.mtu()).isEqualTo(1400);
      });
      assertThat(r.stoppedAt().netns()).isEqualTo(T.guest());
    } finally {
      lab.heal(LabFault.MTU_BLACKHOLE);
      lab.reach(20, 200);
    }
  }

  /**
   * With {@code -Dlt.record.nfttrace=DIR}, writes each namespace's raw {@code nft monitor trace}
   * output to {@code DIR/FAULT-NETNS.txt}: the fixtures of {@code NftTraceReaderTest} were recorded so.
   */
  static void record(String name, Traced t) throws java.io.IOException {
    String dir = System.getProperty("lt.record.nfttrace");
    if (dir == null) {
      return; // a helper the tests call, not a test: recording is optional
    }
    for (var e : t.raw().entrySet()) {
      java.nio.file.Files.write(Path.of(dir, name + "-" + e.getKey() + ".txt"), e.getValue());
    }
  }

  static void assertNoTraceTables() {
    for (String ns : List.of(T.ctr(), T.guest(), T.host(), T.inet())) {
      assertThat(nft(ns, "list", "tables")).as(ns).doesNotContain(RuleTraceTable.PREFIX);
    }
  }

  static String nft(String ns, String... args) {
    List<String> argv = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns, "nft"));
    argv.addAll(List.of(args));
    return Commands.run(argv, null, Duration.ofSeconds(10)).stdout();
  }
}
