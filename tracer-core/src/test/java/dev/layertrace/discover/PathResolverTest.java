package dev.layertrace.discover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.model.Finding;
import dev.layertrace.model.Layer;
import dev.layertrace.model.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Path resolution replayed from hosts recorded by {@code dev.layertrace.sys.LiveDiscoveryTest} and
 * {@code DiscoveryFaultsTest} on the scratch lab (lt-tdisc-ctr → guest → tap relay → host → inet).
 */
class PathResolverTest {

  @Test
  void healthyPathHasEveryLayerInOrderAndNoError() {
    DiscoveredPath p = Recordings.resolve("healthy");
    List<Layer> hops = p.graph().toPath().hops();
    assertThat(hops).extracting(l -> l.kind().word() + " " + l.netns() + " " + l.iface()).containsExactly(
        "container lt-tdisc-ctr eth0", "veth lt-tdisc-guest veth-ctr", "bridge lt-tdisc-guest docker0",
        "forwarding lt-tdisc-guest null", "filter lt-tdisc-guest null", "nat lt-tdisc-guest null",
        "nic lt-tdisc-guest eth0", "vmm-link null null", "tap lt-tdisc-host tap0",
        "forwarding lt-tdisc-host null", "filter lt-tdisc-host null", "nat lt-tdisc-host null",
        "uplink lt-tdisc-host uplink0", "remote lt-tdisc-inet eth0");
    assertThat(p.findings()).filteredOn(f -> f.severity() == Severity.ERROR).isEmpty();
    assertThat(p.graph().edges()).hasSize(hops.size() - 1);
  }

  @Test
  void healthyLayersCarryTheirFacts() {
    List<Layer> hops = Recordings.resolve("healthy").graph().toPath().hops();
    Layer ctr = hops.get(0);
    assertThat(ctr.addresses()).containsExactly("172.17.0.2/16");
    assertThat(ctr.mtu()).isEqualTo(1500);
    assertThat(ctr.operState()).isEqualTo("up");
    assertThat(ctr.driver()).isEqualTo("veth");
    assertThat(ctr.mac()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    assertThat(ctr.peer()).isEqualTo("lt-tdisc-guest/veth-ctr");
    assertThat(ctr.details()).containsEntry("route", "default via 172.17.0.1 dev eth0")
        .containsEntry("source", "172.17.0.2").containsEntry("path_mtu", "1500").containsKey("next_hop");
    assertThat(hops.get(1).peer()).isEqualTo("lt-tdisc-ctr/eth0");
    assertThat(hops.get(1).master()).isEqualTo("docker0");
    assertThat(hops.get(2).addresses()).containsExactly("172.17.0.1/16");
    assertThat(hops.get(2).driver()).isEqualTo("bridge");
    assertThat(hops.get(3).details()).containsEntry("ip_forward", "1").containsEntry("rp_filter", "0")
        .containsEntry("input", "docker0").containsEntry("route", "default via 172.16.0.1 dev eth0");
    assertThat(hops.get(6).driver()).isEqualTo("tun");
    assertThat(hops.get(6).peer()).isEqualTo("lt-tdisc-host/tap0");
    Layer vmm = hops.get(7);
    assertThat(vmm.details()).containsEntry("state", "S").containsEntry("taps", "eth0,tap0").containsKey("pid");
    assertThat(vmm.details().get("process")).contains("tap-relay.py");
    assertThat(hops.get(9).details()).containsEntry("input", "tap0")
        .containsEntry("route", "default via 203.0.113.1 dev uplink0");
    assertThat(hops.get(12).peer()).isEqualTo("lt-tdisc-inet/eth0");
    assertThat(hops.get(13).addresses()).contains("203.0.113.1/24", "198.51.100.10/32");
  }

  @ParameterizedTest(name = "{0}: {3} at {1} {2}")
  @CsvSource({
      "ctr-no-default-route, container, lt-tdisc-ctr, no-route",
      "veth-peer-down, veth, lt-tdisc-guest, link-down",
      "veth-detached, bridge, lt-tdisc-guest, not-bridged",
      "bridge-down, bridge, lt-tdisc-guest, link-down",
      "guest-ip-forward-off, forwarding, lt-tdisc-guest, forwarding-disabled",
      "guest-nic-down, nic, lt-tdisc-guest, link-down",
      "tap-down, tap, lt-tdisc-host, link-down",
      "host-ip-forward-off, forwarding, lt-tdisc-host, forwarding-disabled",
      "uplink-down, uplink, lt-tdisc-host, link-down",
      "mtu-blackhole, nic, lt-tdisc-guest, mtu-exceeded",
      "guest-wrong-gateway, nic, lt-tdisc-guest, neighbor-unresolved",
      "vmm-stalled, vmm-link, , vmm-not-relaying"})
  void eachFaultIsNamedAtItsLayer(String fault, String kind, String netns, String code) {
    DiscoveredPath p = Recordings.resolve(fault);
    assertThat(p.findings()).as(p.findings().toString()).anySatisfy(f -> {
      assertThat(f.code()).isEqualTo(code);
      assertThat(f.layer().kind().word()).isEqualTo(kind);
      assertThat(f.layer().netns()).isEqualTo(netns);
      assertThat(f.message()).isNotBlank().doesNotContain("\n");
      assertThat(f.fix()).isNotBlank();
    });
    // The layer a finding names is on the path, so a renderer can mark it.
    Finding first = p.findings().stream().filter(f -> f.code().equals(code)).findFirst().orElseThrow();
    assertThat(p.graph().find(first.layer())).isPresent();
  }

  @Test
  void errorsOnlyWhereTheFaultIs() {
    // Upstream faults must not be reported as errors elsewhere (e.g. the veth's carrier at the container).
    assertThat(Recordings.resolve("veth-peer-down").findings()).filteredOn(f -> f.severity() == Severity.ERROR)
        .extracting(f -> f.code() + " " + f.layer().label()).containsExactly("link-down veth lt-tdisc-guest veth-ctr");
    assertThat(Recordings.resolve("bridge-down").findings()).filteredOn(f -> f.severity() == Severity.ERROR)
        .extracting(f -> f.code() + " " + f.layer().label()).containsExactly("link-down bridge lt-tdisc-guest docker0");
    assertThat(Recordings.resolve("guest-ip-forward-off").findings()).filteredOn(f -> f.severity() == Severity.ERROR)
        .extracting(f -> f.code() + " " + f.layer().label()).containsExactly("forwarding-disabled forwarding lt-tdisc-guest");
  }

  @Test
  void forwardingOffStillShowsWhereTheTableWouldSendIt() {
    DiscoveredPath p = Recordings.resolve("guest-ip-forward-off");
    Layer fwd = p.graph().layer("lt-tdisc-guest/forwarding").orElseThrow();
    assertThat(fwd.details()).containsEntry("ip_forward", "0")
        .containsEntry("kernel answer", "EHOSTUNREACH for input docker0")
        .containsEntry("route", "default via 172.16.0.1 dev eth0");
  }

  /**
   * fdinfo names a tap but not its namespace. A second process holding an "eth0" too (a QEMU in
   * another lab, say) must not be taken for the guest's VMM — unless it runs in the guest's namespace.
   */
  @Test
  void theHolderRunningInTheTapsNamespaceIsTheVmm() {
    HostRecording r = Recordings.load("healthy");
    long guest = r.namespaces().get("lt-tdisc-guest").inode();
    long elsewhere = r.namespaces().get("lt-tdisc-host").inode();
    VmStatus paused = new VmStatus("paused", new QemuControlSocket(java.nio.file.Path.of("/run/x/monitor.sock"), false));
    TunHolder inGuest = new TunHolder(4242, "qemu-system-x86_64 -netdev tap,ifname=eth0", "S", List.of("eth0"), paused,
        guest);
    TunHolder other = new TunHolder(4243, "qemu-system-x86_64 -netdev tap,ifname=eth0", "S", List.of("eth0"), paused,
        elsewhere);

    Layer vmm = resolveWithHolders(r, other).graph().layer("vmm").orElseThrow();
    assertThat(vmm.details()).as("another namespace's QEMU is not this guest's VMM").containsEntry("process",
        "python3 tap-relay.py /run/netns/lt-tdisc-guest eth0 /run/netns/lt-tdisc-host tap0").doesNotContainKey("vm");

    DiscoveredPath p = resolveWithHolders(r, inGuest);
    Layer theQemu = p.graph().layer("vmm").orElseThrow();
    assertThat(theQemu.details()).containsEntry("pid", "4242").containsEntry("vm", "paused")
        .containsEntry("resume", "echo cont | socat - UNIX-CONNECT:/run/x/monitor.sock");
    assertThat(p.findings()).filteredOn(f -> f.code().equals("vmm-not-relaying")).singleElement()
        .satisfies(f -> assertThat(f.message()).contains("4242", "paused", "frozen"))
        .satisfies(f -> assertThat(f.evidence()).containsExactly("QEMU monitor /run/x/monitor.sock: paused"));
  }

  private static DiscoveredPath resolveWithHolders(HostRecording r, TunHolder extra) {
    List<TunHolder> holders = new java.util.ArrayList<>(r.tunHolders());
    holders.add(extra);
    HostRecording with = new HostRecording(r.names(), r.namespaces(), r.routes(), r.nsids(), holders);
    return new PathResolver(new DecodingHostView(with.replay()), null).resolve(new PathRequest("lt-tdisc-ctr",
        "netns:lt-tdisc-ctr", "198.51.100.10", dev.layertrace.model.Protocol.ICMP, 0));
  }

  @Test
  void stalledRelayShowsItsState() {
    Layer vmm = Recordings.resolve("vmm-stalled").graph().layer("vmm").orElseThrow();
    assertThat(vmm.details()).containsEntry("state", "T");
  }
}
