package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.discover.DecodingHostView;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.discover.PathRequest;
import dev.layertrace.discover.PathResolver;
import dev.layertrace.discover.RulesetHook;
import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.model.Capture;
import dev.layertrace.model.HostFacts;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Protocol;
import dev.layertrace.model.Verdict;
import dev.layertrace.probe.ProbeId;
import dev.layertrace.probe.ProbeSpec;
import dev.layertrace.probe.TraceListener;
import dev.layertrace.probe.TraceSession;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.LabSystem;
import dev.layertrace.sys.LiveHost;
import dev.layertrace.testing.RootOnly;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code trace --repeat}: many traces from one discovery in one open session, on a private lab copy
 * ({@code lt-rep-…}): every round gets its own probe and its own right verdict with its own evidence
 * (the batched conntrack and forward-chain evidence too), healthy and broken, and the session leaves no
 * tracefs instance behind.
 */
@RootOnly
class TraceRepeatRootTest {
  static final LabTopology T = LabTopology.copy("lt-rep-", LabTopology.VmmLink.VETH);
  static LabSystem lab;

  @BeforeAll
  static void up() {
    lab = new LabSystem(T, new LabRuntime(Path.of("/run/layertrace/lt-rep-lab")), List.of());
    lab.up();
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.down();
    }
  }

  static Capture repeat(int n) throws Exception {
    ProbeSpec p = new ProbeSpec(Protocol.ICMP, null, (Inet4Address) InetAddress.getByName(LabTopology.REMOTE), 0, 0,
        false, 64);
    return TraceCommand.traceLive("netns:" + T.ctr(), null, p, 1, new HostFacts("test", null, null, "repeat"),
        TraceListener.NONE, false, AgentOptions.none(), n);
  }

  @Test
  void fortyRoundsOfAHealthyAndABrokenPathEachGetTheirOwnRightVerdict() throws Exception {
    Capture healthy = repeat(40);
    assertThat(healthy.verdicts()).hasSize(40).allMatch(v -> v.outcome() == Outcome.REACHED);
    assertThat(healthy.probes().stream().map(pr -> pr.id()).distinct()).hasSize(40);
    assertThat(healthy.notes()).anyMatch(n -> n.startsWith("repeat: 40 traces in") && n.contains("(one session)"));
    // The NAT mapping is read once for all rounds: each verdict still cites its own probe's entry.
    for (Verdict v : healthy.verdicts()) {
      String id = "id=" + Integer.parseInt(v.probeId(), 16) + " ";
      assertThat(v.evidence()).as(v.toString())
          .anyMatch(e -> e.startsWith("conntrack " + T.guest() + ":") && e.contains(id));
    }
    System.out.println(healthy.notes().stream().filter(n -> n.startsWith("repeat:")).findFirst().orElseThrow());
    lab.breakFault(LabFault.GUEST_FORWARD_DROP);
    try {
      Capture broken = repeat(20);
      assertThat(broken.verdicts()).hasSize(20);
      for (Verdict v : broken.verdicts()) {
        assertThat(LabFault.GUEST_FORWARD_DROP.expectedVerdict(T).matches(v)).as(v.toString()).isTrue();
        assertThat(v.evidence()).anyMatch(e -> e.contains("NETFILTER_DROP"));
        assertThat(v.evidence()).anyMatch(e -> e.startsWith("rule " + T.guest() + ": the forward hook runs"));
      }
    } finally {
      lab.heal(LabFault.GUEST_FORWARD_DROP);
      lab.reach(20, 200);
    }
    try (var instances = java.nio.file.Files.list(Path.of("/sys/kernel/tracing/instances"))) {
      assertThat(instances.map(d -> d.getFileName().toString()))
          .noneMatch(name -> name.startsWith("layertrace-" + ProcessHandle.current().pid()));
    }
  }

  @Test
  void evidenceGatheredInManyBatchesStillCitesEachRoundsOwnEntry() throws Exception {
    DiscoveredPath path;
    try (LiveHost live = LiveHost.scan()) {
      path = new PathResolver(new DecodingHostView(live), new RulesetHook(live::rulesets))
          .resolve(new PathRequest(T.ctr(), "netns:" + T.ctr(), LabTopology.REMOTE, Protocol.ICMP, 0));
    }
    ProbeSpec p = new ProbeSpec(Protocol.ICMP, null, (Inet4Address) InetAddress.getByName(LabTopology.REMOTE), 0, 0,
        false, 64);
    List<ProbeId> ids = ProbeId.allocate(6, new Random());
    TraceSession.Result r;
    try (TraceSession s = TraceSession.create(new TraceSession.Request(path.graph(), path.findings(), List.of(), p,
        ids.size(), "layertrace-" + ProcessHandle.current().pid() + "-batches"))) {
      s.open(ids);
      r = TraceRounds.run(s, ids, 6, TraceListener.NONE, 0, 0); // a batch before every round
    }
    assertThat(r.verdicts()).hasSize(6);
    for (int i = 0; i < 6; i++) {
      Verdict v = r.verdicts().get(i);
      assertThat(v.probeId()).isEqualTo(ids.get(i).hex());
      assertThat(v.outcome()).isEqualTo(Outcome.REACHED);
      String id = "id=" + ids.get(i).value() + " ";
      assertThat(v.evidence()).as(v.toString())
          .anyMatch(e -> e.startsWith("conntrack " + T.guest() + ":") && e.contains(id));
    }
  }

  @Test
  void badRepeatsAreOneLineUsageErrors() {
    for (String[] args : List.of(new String[] {"--repeat", "0"}, new String[] {"--repeat", "101"},
        new String[] {"--repeat", "20", "--count", "16"}, new String[] {"--repeat", "5", "--rule-trace"})) {
      StringWriter err = new StringWriter();
      String[] argv = new String[args.length + 5];
      argv[0] = "trace";
      argv[1] = "--from";
      argv[2] = T.ctr();
      argv[3] = "--to";
      argv[4] = LabTopology.REMOTE;
      System.arraycopy(args, 0, argv, 5, args.length);
      int rc = Main.run(argv, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
      assertThat(rc).as(String.join(" ", args) + ": " + err).isEqualTo(2);
      assertThat(err.toString().strip().lines()).as(err.toString()).hasSize(1);
      assertThat(err.toString()).contains("--repeat");
    }
  }
}
