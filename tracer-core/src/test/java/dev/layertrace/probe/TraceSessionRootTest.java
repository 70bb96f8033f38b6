package dev.layertrace.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.model.Direction;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.Observation;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Protocol;
import dev.layertrace.model.Verdict;
import dev.layertrace.testing.RootOnly;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real probes, observers and tracefs on the scratch router topology ({@link ScratchRouter}). */
@RootOnly
class TraceSessionRootTest {
  static ScratchRouter net;

  @BeforeAll
  static void up() {
    net = new ScratchRouter();
  }

  @AfterAll
  static void down() {
    if (net != null) {
      net.close();
    }
  }

  static TraceSession.Result trace(Protocol p, int count) throws Exception {
    int port = p == Protocol.ICMP ? 0 : p == Protocol.UDP ? 33434 : 80;
    ProbeSpec spec = new ProbeSpec(p, null, (Inet4Address) InetAddress.getByName(ScratchRouter.REMOTE), port, 0,
        false, 64);
    String name = "layertrace-" + ProcessHandle.current().pid() + "-t" + System.nanoTime() % 100000;
    TraceSession.Result r = TraceSession.trace(new TraceSession.Request(net.graph(), List.of(), List.of(), spec, count,
        name));
    assertThat(Path.of("/sys/kernel/tracing/instances", name)).as("the tracefs instance is removed").doesNotExist();
    return r;
  }

  static void nft(String script) {
    dev.layertrace.sys.Commands.run(List.of("ip", "netns", "exec", ScratchRouter.R, "nft", "-f", "-"), script,
        java.time.Duration.ofSeconds(5)).orThrow();
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void healthyPathIsReachedAndEveryDeviceSawRequestAndReply(Protocol p) throws Exception {
    TraceSession.Result r = trace(p, 1);
    Verdict v = r.verdicts().get(0);
    assertThat(v.outcome()).as(v.toString()).isEqualTo(Outcome.REACHED);
    for (String layer : List.of("lt-ttr-c/eth0", "lt-ttr-r/c0", "lt-ttr-r/u0", "lt-ttr-i/eth0")) {
      assertThat(r.observations()).as(layer + " saw the request")
          .anyMatch(o -> o.layerId().equals(layer) && o.direction() == Direction.REQUEST);
      assertThat(r.observations()).as(layer + " saw the reply")
          .anyMatch(o -> o.layerId().equals(layer) && o.direction() == Direction.REPLY);
    }
    Observation out = r.observations().stream().filter(o -> o.layerId().equals("lt-ttr-i/eth0")
        && o.direction() == Direction.REQUEST).findFirst().orElseThrow();
    assertThat(out.packet().src()).as("masqueraded").isEqualTo("198.51.100.1");
    assertThat(out.packet().ttl()).isEqualTo(63);
    System.out.printf("healthy %s: setup %.1f ms, probe phase %.2f ms%n", p.word(), r.setupNs() / 1e6,
        r.probePhaseNs() / 1e6);
    assertThat(r.probePhaseNs()).isLessThan(50_000_000L);
  }

  @Test
  void ipForwardOffIsNamedWithTheKernelsReason() throws Exception {
    ScratchRouter.sh("ip netns exec lt-ttr-r sysctl -q -w net.ipv4.ip_forward=0");
    try {
      TraceSession.Result r = trace(Protocol.ICMP, 1);
      Verdict v = r.verdicts().get(0);
      assertThat(v.outcome()).isEqualTo(Outcome.STOPPED);
      assertThat(v.layer().kind()).isEqualTo(LayerKind.FORWARDING);
      assertThat(v.layer().netns()).isEqualTo("lt-ttr-r");
      assertThat(v.cause()).isEqualTo("forwarding-disabled");
      assertThat(v.evidence()).anyMatch(e -> e.contains("ip_error: IP_INADDRERRORS"));
      System.out.printf("forward-off: verdict %.1f ms after injection%n", r.verdictAfterInjectionNs() / 1e6);
      assertThat(r.verdictAfterInjectionNs()).isLessThan(300_000_000L);
    } finally {
      ScratchRouter.sh("ip netns exec lt-ttr-r sysctl -q -w net.ipv4.ip_forward=1");
    }
  }

  @Test
  void aForwardDropIsFiltered() throws Exception {
    nft("add chain ip lt_ttr forward { type filter hook forward priority filter; policy drop; }\n");
    try {
      Verdict v = trace(Protocol.TCP, 1).verdicts().get(0);
      assertThat(v.cause()).as(v.toString()).isEqualTo("filtered");
      assertThat(v.layer().netns()).isEqualTo("lt-ttr-r");
      assertThat(v.evidence()).anyMatch(e -> e.contains("NETFILTER_DROP"));
    } finally {
      nft("add chain ip lt_ttr forward { type filter hook forward priority filter; policy accept; }\n");
    }
  }

  @Test
  void withoutMasqueradeTheReplyIsLostAtTheNat() throws Exception {
    ScratchRouter.sh("ip netns exec lt-ttr-r nft flush chain ip lt_ttr post");
    try {
      TraceSession.Result r = trace(Protocol.UDP, 1);
      Verdict v = r.verdicts().get(0);
      assertThat(v.outcome()).as(v.toString()).isEqualTo(Outcome.REPLY_LOST);
      assertThat(v.layer().kind()).isEqualTo(LayerKind.NAT);
      assertThat(v.cause()).isEqualTo("not-translated");
      assertThat(v.fix()).isEqualTo("ip netns exec lt-ttr-r iptables -t nat -A POSTROUTING -s 172.17.9.0/24 -o u0"
          + " -j MASQUERADE");
    } finally {
      ScratchRouter.sh("ip netns exec lt-ttr-r nft add rule ip lt_ttr post oifname u0 masquerade");
    }
  }

  @Test
  void noDefaultRouteFailsTheSendItself() throws Exception {
    ScratchRouter.sh("ip -n lt-ttr-c route del default");
    try {
      Verdict v = trace(Protocol.ICMP, 1).verdicts().get(0);
      assertThat(v.outcome()).isEqualTo(Outcome.STOPPED);
      assertThat(v.cause()).isEqualTo("no-route");
      assertThat(v.fix()).isEqualTo("ip netns exec lt-ttr-c ip route replace default via 172.17.9.1 dev eth0");
    } finally {
      ScratchRouter.sh("ip -n lt-ttr-c route add default via 172.17.9.1");
    }
  }

  @Test
  void severalProbesEachGetTheirOwnVerdict() throws Exception {
    TraceSession.Result r = trace(Protocol.ICMP, 5);
    assertThat(r.verdicts()).hasSize(5).allMatch(v -> v.outcome() == Outcome.REACHED);
    assertThat(r.probes().stream().map(dev.layertrace.model.Probe::id).distinct()).hasSize(5);
    assertThat(Files.list(Path.of("/sys/kernel/tracing/instances")).filter(p -> p.getFileName().toString()
        .startsWith("layertrace-" + ProcessHandle.current().pid()))).isEmpty();
  }

  /**
   * Under an iperf3 TCP flood through the same path, 100 of 100 probes are still seen at every
   * device (the BPF filter keeps the flood in the kernel); prints the tracer's CPU time per probe.
   */
  @Test
  void underAFloodEveryProbeIsStillSeenEverywhere() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(dev.layertrace.sys.Commands.which("iperf3").isPresent(),
        "iperf3 is not installed");
    Process server = new ProcessBuilder("ip", "netns", "exec", ScratchRouter.I, "iperf3", "-s", "-1", "-p", "5299")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Process client = null;
    try {
      Thread.sleep(300);
      client = new ProcessBuilder("ip", "netns", "exec", ScratchRouter.C, "iperf3", "-c", ScratchRouter.REMOTE, "-p",
          "5299", "-t", "30", "-P", "2").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      Thread.sleep(1000);
      long cpu0 = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
      int probes = 0;
      int seenEverywhere = 0;
      for (int t = 0; t < 10; t++) {
        TraceSession.Result r = trace(Protocol.ICMP, 10);
        for (dev.layertrace.model.Probe p : r.probes()) {
          probes++;
          boolean all = List.of("lt-ttr-c/eth0", "lt-ttr-r/c0", "lt-ttr-r/u0", "lt-ttr-i/eth0").stream()
              .allMatch(l -> r.observations().stream().anyMatch(o -> o.probeId().equals(p.id())
                  && o.layerId().equals(l) && o.direction() == Direction.REQUEST));
          if (all) {
            seenEverywhere++;
          }
        }
        assertThat(r.verdicts()).allMatch(v -> v.outcome() == Outcome.REACHED);
      }
      long cpu = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() - cpu0;
      System.out.printf("under iperf3 flood: %d of %d probes seen at every device; tracer CPU %.2f ms per probe"
          + " (including setup of 10 traces)%n", seenEverywhere, probes, cpu / 1e6 / probes);
      assertThat(client.isAlive()).as("the flood was still running").isTrue();
      assertThat(seenEverywhere).isEqualTo(100);
    } finally {
      if (client != null) {
        client.destroy();
        client.waitFor();
      }
      server.destroy();
      server.waitFor();
    }
  }
}
