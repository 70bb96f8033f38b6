package dev.layertrace.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.discover.DecodingHostView;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.discover.NetfilterHook;
import dev.layertrace.discover.PathRequest;
import dev.layertrace.discover.PathResolver;
import dev.layertrace.lab.ExpectedVerdict;
import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.model.Direction;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Protocol;
import dev.layertrace.model.Verdict;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.LabSystem;
import dev.layertrace.sys.LiveHost;
import dev.layertrace.testing.RootOnly;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every catalog fault traced for real on a private copy of the lab ({@code lt-ttr-ctr} …, the
 * guest NIC and host tap joined by a veth pair instead of the relay, so that this suite never
 * disturbs the shared lab): discovery, probes, observers, tracefs, verdict. The relay's own fault
 * (vmm-stalled) does not apply to the copy; it is traced on the standard lab by the CLI tests.
 */
@RootOnly
class LabCatalogTraceRootTest {
  static final LabTopology T = LabTopology.copy("lt-ttr-", LabTopology.VmmLink.VETH);
  static LabSystem lab;

  @BeforeAll
  static void up() {
    lab = new LabSystem(T, new LabRuntime(Path.of("/run/layertrace/lt-ttr-lab")), List.of());
    lab.up();
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.down();
    }
  }

  static TraceSession.Result trace(Protocol p, int size, boolean df) throws Exception {
    Inet4Address dst = (Inet4Address) InetAddress.getByName(LabTopology.REMOTE);
    int port = p == Protocol.ICMP ? 0 : p == Protocol.UDP ? 33434 : 80;
    DiscoveredPath path;
    try (LiveHost live = LiveHost.scan()) {
      path = new PathResolver(new DecodingHostView(live), NetfilterHook.NONE)
          .resolve(new PathRequest(T.ctr(), "netns:" + T.ctr(), LabTopology.REMOTE, p, port));
    }
    return TraceSession.trace(new TraceSession.Request(path.graph(), path.findings(), List.of(),
        new ProbeSpec(p, null, dst, port, size, df, 64), 1, "layertrace-" + ProcessHandle.current().pid() + "-lab"));
  }

  @org.junit.jupiter.api.Test
  void twentyParallelTracesOfMixedProtocolsEachGetTheirOwnRightVerdict() throws Exception {
    Inet4Address dst = (Inet4Address) InetAddress.getByName(LabTopology.REMOTE);
    DiscoveredPath path;
    try (LiveHost live = LiveHost.scan()) {
      path = new PathResolver(new DecodingHostView(live), NetfilterHook.NONE)
          .resolve(new PathRequest(T.ctr(), "netns:" + T.ctr(), LabTopology.REMOTE, Protocol.ICMP, 0));
    }
    for (LabFault fault : new LabFault[] {null, LabFault.GUEST_FORWARD_DROP}) {
      if (fault != null) {
        lab.breakFault(fault);
      }
      try {
        List<java.util.concurrent.Future<Verdict>> runs = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < 20; i++) {
          // At most 5 UDP probes: the remote answers closed ports with ICMP errors, which the kernel
          // rate-limits per peer (a burst of 6, then 1/s; net.ipv4.icmp_ratelimit).
          Protocol p = i % 4 == 3 ? Protocol.UDP : i % 2 == 0 ? Protocol.ICMP : Protocol.TCP;
          int port = p == Protocol.ICMP ? 0 : p == Protocol.UDP ? 33434 : 80;
          String name = "layertrace-" + ProcessHandle.current().pid() + "-p" + i;
          runs.add(pool.submit(() -> {
            start.await();
            return TraceSession.trace(new TraceSession.Request(path.graph(), path.findings(), List.of(),
                new ProbeSpec(p, null, dst, port, 0, false, 64), 1, name)).verdicts().get(0);
          }));
        }
        start.countDown();
        for (var f : runs) {
          Verdict v = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
          if (fault == null) {
            assertThat(v.outcome()).as(String.join("\n", v.evidence())).isEqualTo(Outcome.REACHED);
          } else {
            assertThat(fault.expectedVerdict(T).matches(v)).as(v.toString()).isTrue();
          }
        }
        pool.shutdown();
      } finally {
        if (fault != null) {
          lab.heal(fault);
          lab.reach(20, 200);
        }
      }
    }
    assertThat(java.nio.file.Files.list(Path.of("/sys/kernel/tracing/instances"))
        .filter(d -> d.getFileName().toString().startsWith("layertrace-" + ProcessHandle.current().pid()))).isEmpty();
  }

  @ParameterizedTest(name = "healthy {0}")
  @EnumSource(Protocol.class)
  void healthyLabIsReachedWithEveryDeviceSeenBothWays(Protocol p) throws Exception {
    TraceSession.Result r = trace(p, 0, false);
    Verdict v = r.verdicts().get(0);
    assertThat(v.outcome()).as(String.join("\n", v.evidence())).isEqualTo(Outcome.REACHED);
    for (String dev : List.of(T.ctr() + "/eth0", T.guest() + "/docker0", T.guest() + "/eth0", T.host() + "/uplink0",
        T.inet() + "/eth0")) {
      assertThat(r.observations()).as(dev).anyMatch(o -> o.layerId().equals(dev) && o.direction() == Direction.REQUEST);
      assertThat(r.observations()).as(dev).anyMatch(o -> o.layerId().equals(dev) && o.direction() == Direction.REPLY);
    }
    System.out.printf("lab copy healthy %s: setup %.1f ms, probe phase %.2f ms%n", p.word(), r.setupNs() / 1e6,
        r.probePhaseNs() / 1e6);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(LabFault.class)
  void everyFaultGetsTheCatalogsVerdict(LabFault fault) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(fault.appliesTo(T),
        fault.word() + " needs the VMM relay; this copy joins guest and host with a veth (the standard lab"
            + " traces it: captures/record.sh)");
    lab.breakFault(fault);
    try {
      TraceSession.Result r = trace(fault.probe().protocol(), fault.probe().size(), fault.probe().df());
      Verdict v = r.verdicts().get(0);
      ExpectedVerdict want = fault.expectedVerdict(T);
      System.out.printf("%-22s %-11s %-28s %-20s %6.1f ms%n", fault.word(), v.outcome().word(),
          v.layer() == null ? "-" : v.layer().label(), v.cause(), r.verdictAfterInjectionNs() / 1e6);
      assertThat(want.matches(v) || matchesInVethCopy(want, v)).as("%s: want %s, got %s %s %s%n%s", fault.word(), want.describe(), v.outcome(),
          v.layer(), v.cause(), String.join("\n", v.evidence())).isTrue();
      if (fault == LabFault.NFT_SPLIT_BRAIN) {
        assertThat(String.join("\n", v.evidence())).as("both backends named").contains("iptables-nft")
            .contains("inet filter forward (nftables");
      }
      if (fault == LabFault.GUEST_IP_FORWARD_OFF) {
        assertThat(v.evidence()).anyMatch(e -> e.contains("kfree_skb at ip_error: IP_INADDRERRORS"));
      }
    } finally {
      lab.heal(fault);
      // A device set up again gets its carrier (and qdisc) only when linkwatch runs, up to a second
      // later: wait for the path to answer, so that the next fault starts from a working lab.
      lab.reach(20, 200);
    }
  }

  /**
   * In the veth copy the guest NIC and the host tap are two ends of a veth pair, so discovery names
   * them {@code uplink} and {@code veth} where the standard lab has {@code nic} and {@code tap}.
   */
  static boolean matchesInVethCopy(ExpectedVerdict want, Verdict v) {
    if (v.layer() == null) {
      return false;
    }
    LayerKind k = v.layer().kind();
    boolean renamed = want.kind() == LayerKind.NIC && k == LayerKind.UPLINK && "eth0".equals(v.layer().iface())
        || want.kind() == LayerKind.TAP && k == LayerKind.VETH && "tap0".equals(v.layer().iface());
    return renamed && v.outcome() == want.outcome() && want.cause().equals(v.cause())
        && java.util.Objects.equals(want.netns(), v.layer().netns());
  }
}
