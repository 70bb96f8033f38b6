package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.LayertraceException;
import dev.layertrace.agent.AgentAddress;
import dev.layertrace.agent.AgentClient;
import dev.layertrace.agent.AgentMessages;
import dev.layertrace.agent.AgentToken;
import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.model.Capture;
import dev.layertrace.model.HostFacts;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Protocol;
import dev.layertrace.model.Verdict;
import dev.layertrace.probe.ProbeSpec;
import dev.layertrace.probe.TraceListener;
import dev.layertrace.state.StateDigest;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.LabSystem;
import dev.layertrace.sys.SystemStateReader;
import dev.layertrace.testing.RootOnly;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lab's split mode: on a private copy of the lab with its VMM relay ({@code lt-spl-…}), a tracer
 * restricted to the guest's namespaces ({@code --scope lt-spl-ctr,lt-spl-guest}) and an agent — a
 * separate process — restricted to the host's ({@code --scope lt-spl-host,lt-spl-inet}), connected
 * over a unix socket. For every catalog fault the merged trace must give the outcome, layer and cause
 * of the single-process trace; the agent must refuse bad tokens, outlive a tracer that vanishes
 * mid-trace, and change nothing on the system.
 */
@RootOnly
class SplitModeRootTest {
  static final LabTopology T = LabTopology.copy("lt-spl-", LabTopology.VmmLink.RELAY);
  static final Path RUN = Path.of("/run/layertrace/lt-spl-lab");
  static final Path SOCKET = Path.of("/run/layertrace/lt-spl-agent.sock");
  static final Path TOKEN = Path.of("/run/layertrace/lt-spl-agent.token");
  /** The other direction: an agent in the guest's namespaces, asked by a tracer in the host's. */
  static final Path GUEST_SOCKET = Path.of("/run/layertrace/lt-spl-guest-agent.sock");
  static LabSystem lab;
  static Process agent;
  static Process guestAgent;

  @BeforeAll
  static void up() throws Exception {
    List<String> relay = new ArrayList<>(LabCommand.relayCommand());
    relay.addAll(List.of("--runtime-dir", RUN.toString(), "--guest-netns", T.guest(), "--host-netns", T.host()));
    lab = new LabSystem(T, new LabRuntime(RUN), relay);
    lab.up();
    Files.deleteIfExists(TOKEN);
    agent = startAgent(SOCKET, T.host() + "," + T.inet());
    guestAgent = startAgent(GUEST_SOCKET, T.ctr() + "," + T.guest());
  }

  @AfterAll
  static void down() throws Exception {
    for (Process p : new Process[] {agent, guestAgent}) {
      if (p != null) {
        p.destroy(); // SIGTERM: the agent's hook closes the server and removes its socket
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("agent stopped on SIGTERM").isTrue();
      }
    }
    assertThat(SOCKET).as("socket removed on SIGTERM").doesNotExist();
    assertThat(GUEST_SOCKET).as("socket removed on SIGTERM").doesNotExist();
    if (lab != null) {
      lab.down();
    }
    Files.deleteIfExists(TOKEN);
  }

  /** {@code layertrace agent} as a child process of its own, in the host's scope only. */
  static Process startAgent(Path socket, String scope) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "agent",
        "--listen", "unix:" + socket, "--token-file", TOKEN.toString(), "--scope", scope)
        .redirectErrorStream(true).start();
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> said = new ArrayList<>();
    for (String line; (line = r.readLine()) != null; ) {
      said.add(line);
      if (line.contains("listening on")) {
        Thread drain = new Thread(() -> r.lines().forEach(System.out::println), "agent-output");
        drain.setDaemon(true);
        drain.start();
        return p;
      }
    }
    throw new AssertionError("the agent did not start: " + said);
  }

  static ProbeSpec probe(Protocol p, int size, boolean df) throws Exception {
    Inet4Address dst = (Inet4Address) InetAddress.getByName(LabTopology.REMOTE);
    int port = p == Protocol.ICMP ? 0 : p == Protocol.UDP ? 33434 : 80;
    return new ProbeSpec(p, null, dst, port, size, df, 64);
  }

  static Capture single(ProbeSpec p) {
    return TraceCommand.traceLive("netns:" + T.ctr(), null, p, 1, new HostFacts("test", null, null, "single"),
        TraceListener.NONE, false);
  }

  static Capture split(ProbeSpec p) {
    return TraceCommand.traceLive("netns:" + T.ctr(), null, p, 1, new HostFacts("test", null, null, "split"),
        TraceListener.NONE, false, AgentOptions.of("unix:" + SOCKET, TOKEN, T.ctr() + "," + T.guest(), null));
  }

  /** Where the probe and its reply were seen, in which direction: {@code lt-spl-host/tap0 request in}. */
  static java.util.Set<String> sightings(Capture c) {
    return c.observations().stream().filter(o -> !"arp".equals(o.packet().protocol()))
        .map(o -> o.layerId() + " " + o.direction().word() + (o.outgoing() ? " out" : " in"))
        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
  }

  /** The drop events of the host's namespaces: {@code lt-spl-host nft_do_chain NETFILTER_DROP}. */
  static java.util.Set<String> hostDrops(Capture c) {
    return c.kernelEvents().stream().filter(e -> T.host().equals(e.netns()) || T.inet().equals(e.netns()))
        .map(e -> e.netns() + " " + e.location() + " " + e.reason())
        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
  }

  /** From the host: a tracer scoped to the host's namespaces asks the guest's agent to send. */
  static Capture fromHost(ProbeSpec p) {
    return TraceCommand.traceLive("netns:" + T.ctr(), null, p, 1, new HostFacts("test", null, null, "from the host"),
        TraceListener.NONE, false, AgentOptions.of("unix:" + GUEST_SOCKET, TOKEN, T.host() + "," + T.inet(), null));
  }

  static String describe(Verdict v) {
    return v.outcome().word() + " " + (v.layer() == null ? "-" : v.layer().label()) + " " + v.cause();
  }

  @Test
  void healthyPathIsOnePathAcrossTwoKernelsSeenBothWays() throws Exception {
    Capture c = split(probe(Protocol.ICMP, 0, false));
    Verdict v = c.verdicts().get(0);
    assertThat(v.outcome()).as(String.join("\n", v.evidence())).isEqualTo(Outcome.REACHED);
    List<Layer> hops = c.graph().toPath().hops();
    assertThat(hops.stream().map(Layer::kind)).containsSubsequence(LayerKind.CONTAINER, LayerKind.NIC,
        LayerKind.VMM_LINK, LayerKind.TAP, LayerKind.UPLINK, LayerKind.REMOTE);
    assertThat(hops).filteredOn(l -> l.kind() != LayerKind.VMM_LINK)
        .allMatch(l -> l.kernel().equals(l.netns().equals(T.ctr()) || l.netns().equals(T.guest()) ? "guest" : "host"));
    for (String dev : List.of(T.guest() + "/eth0", T.host() + "/tap0", T.inet() + "/eth0")) {
      assertThat(c.observations()).as(dev + " notes " + c.notes()).anyMatch(o -> o.layerId().equals(dev) && o.direction().word().equals("request"));
      assertThat(c.observations()).as(dev).anyMatch(o -> o.layerId().equals(dev) && o.direction().word().equals("reply"));
    }
    assertThat(c.notes()).anyMatch(n -> n.contains("the guest's frames arrive on " + T.host() + "/tap0"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(LabFault.class)
  void splitModeGivesTheSingleProcessVerdictForEveryFault(LabFault fault) throws Exception {
    Traced both = compareWithSingle(fault, "split", SplitModeRootTest::split);
    // ... and so are the kernel drop events the agent bound on its side.
    assertThat(hostDrops(both.merged())).as("the host kernel's drop events").isEqualTo(hostDrops(both.single()));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(LabFault.class)
  void fromTheHostAskingTheGuestsAgentGivesTheSameVerdicts(LabFault fault) throws Exception {
    compareWithSingle(fault, "from-host", SplitModeRootTest::fromHost);
  }

  /** One fault traced by one process and by two. */
  record Traced(Capture single, Capture merged) {}

  /**
   * Breaks {@code fault}, traces it with one process and then {@code how}, and requires the same
   * outcome, layer and cause, and the same sightings: the other half's observations really are part
   * of the merged trace.
   */
  static Traced compareWithSingle(LabFault fault, String label, java.util.function.Function<ProbeSpec, Capture> how)
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(fault.appliesTo(T), fault.word() + " does not apply to the relay copy");
    lab.breakFault(fault);
    try {
      ProbeSpec p = probe(fault.probe().protocol(), fault.probe().size(), fault.probe().df());
      Capture singleCapture = single(p);
      Capture merged = how.apply(p);
      Verdict one = singleCapture.verdicts().get(0);
      Verdict two = merged.verdicts().get(0);
      System.out.printf("%-9s %-22s single: %-45s %s: %s%n", label, fault.word(), describe(one), label, describe(two));
      assertThat(fault.expectedVerdict(T).matches(one)).as("single process: %s", describe(one)).isTrue();
      assertThat(two.outcome()).as("%s%n%s", describe(two), String.join("\n", two.evidence())).isEqualTo(one.outcome());
      assertThat(two.layer()).as(describe(two)).isEqualTo(one.layer());
      assertThat(two.cause()).as(describe(two)).isEqualTo(one.cause());
      assertThat(sightings(merged)).as("sightings of the %s trace", label).isEqualTo(sightings(singleCapture));
      return new Traced(singleCapture, merged);
    } finally {
      lab.heal(fault);
      lab.reach(20, 200);
    }
  }

  @Test
  void fromTheHostTheHealthyPathIsReachedWithTheGuestHalfFromTheAgent() throws Exception {
    Capture c = fromHost(probe(Protocol.TCP, 0, false));
    assertThat(c.verdicts().get(0).outcome()).isEqualTo(Outcome.REACHED);
    assertThat(c.graph().toPath().hops().get(0).kernel()).isEqualTo("guest");
    assertThat(c.observations()).anyMatch(o -> o.layerId().equals(T.ctr() + "/eth0") && !o.outgoing()
        && o.direction().word().equals("reply"));
  }

  @Test
  void theAgentRefusesAWrongOrMissingTokenInOneLine() throws Exception {
    AgentAddress a = AgentAddress.parse("unix:" + SOCKET);
    assertThatThrownBy(() -> AgentClient.connect(a, new AgentToken("0123456789abcdef-wrong"), Duration.ofSeconds(5)))
        .isInstanceOf(LayertraceException.class)
        .hasMessage("the agent at unix:" + SOCKET + " refused: wrong or missing token");
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(SOCKET))) {
      ch.write(ByteBuffer.wrap("{\"op\":\"hello\",\"version\":1}\n".getBytes(StandardCharsets.UTF_8)));
      String answer = readLine(ch);
      assertThat(answer).contains("\"op\":\"error\"").contains("wrong or missing token");
      assertThat(ch.read(ByteBuffer.allocate(16))).as("closed after the error").isEqualTo(-1);
    }
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(SOCKET))) {
      ch.write(ByteBuffer.wrap("{\"op\":\"half\"}\n".getBytes(StandardCharsets.UTF_8)));
      assertThat(readLine(ch)).contains("expected hello, got half");
    }
    assertThat(agent.isAlive()).isTrue();
  }

  @Test
  void aTracerThatVanishesMidTraceLeavesTheAgentServingAndNothingBehind() throws Exception {
    ProbeSpec p = probe(Protocol.ICMP, 0, false);
    for (int i = 0; i < 3; i++) {
      AgentClient c = AgentClient.connect(AgentAddress.parse("unix:" + SOCKET), new AgentToken(Files.readString(TOKEN)),
          Duration.ofSeconds(10));
      dev.layertrace.discover.DiscoveredPath near;
      try (dev.layertrace.sys.LiveHost live = dev.layertrace.sys.LiveHost.scan(
          dev.layertrace.discover.NamespaceScope.parse(T.ctr() + "," + T.guest(), false))) {
        near = new dev.layertrace.discover.PathResolver(new dev.layertrace.discover.DecodingHostView(live), null)
            .resolve(new dev.layertrace.discover.PathRequest(T.ctr(), T.ctr(), LabTopology.REMOTE, Protocol.ICMP, 0));
      }
      c.half(AgentMessages.HalfRequest.far(List.of("a1b" + i), AgentMessages.Spec.of(p), T.ctr(), T.ctr(),
          near.handoff(), null));
      if (i > 0) {
        c.go(); // i == 1: gone while watching; i == 2 also after a poll
        Thread.sleep(50);
        c.poll();
      }
      c.close();
    }
    long agentPid = agent.pid();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    List<String> left;
    do {
      Thread.sleep(100);
      try (var s = Files.list(Path.of("/sys/kernel/tracing/instances"))) {
        left = s.map(d -> d.getFileName().toString()).filter(n -> n.startsWith("layertrace-" + agentPid + "-")).toList();
      }
    } while (!left.isEmpty() && System.nanoTime() < deadline);
    assertThat(left).as("tracefs instances of the agent after its tracers vanished").isEmpty();
    assertThat(split(p).verdicts().get(0).outcome()).as("still serving").isEqualTo(Outcome.REACHED);
  }

  @Test
  void aSplitTraceChangesNothingInTheAgentsNamespaces() throws Exception {
    ProbeSpec p = probe(Protocol.TCP, 0, false);
    split(p); // warm: the first trace fills neighbour caches, which the digest does not cover anyway
    // The agent's namespaces (and the root one): other labs on the machine are not this test's business.
    StateDigest before = SystemStateReader.digest(List.of(T.host(), T.inet()));
    Capture c = split(p);
    StateDigest after = SystemStateReader.digest(List.of(T.host(), T.inet()));
    assertThat(c.verdicts().get(0).outcome()).isEqualTo(Outcome.REACHED);
    for (String ns : List.of(T.host(), T.inet())) {
      assertThat(after.of(ns)).as(ns).isEqualTo(before.of(ns));
    }
  }

  @Test
  void aScopedTracerWithoutAnAgentRefusesASourceOutsideItsScope() {
    assertThatThrownBy(() -> TraceCommand.traceLive("netns:" + T.host(), null, probe(Protocol.ICMP, 0, false), 1,
        new HostFacts("test", null, null, "x"), TraceListener.NONE, false,
        AgentOptions.of(null, TOKEN, T.ctr() + "," + T.guest(), null)))
        .isInstanceOf(LayertraceException.class).hasMessageContaining("outside this process's scope");
  }

  private static String readLine(SocketChannel ch) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(4096);
    StringBuilder s = new StringBuilder();
    while (s.indexOf("\n") < 0 && ch.read(b) > 0) {
      b.flip();
      s.append(StandardCharsets.UTF_8.decode(b));
      b.clear();
    }
    return s.toString();
  }
}
