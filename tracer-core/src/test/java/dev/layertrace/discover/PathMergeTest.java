package dev.layertrace.discover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.LayertraceException;
import dev.layertrace.model.Finding;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.netlink.FlowQuery;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Split resolution on recorded lab hosts (real rtnetlink answers, see {@link Recordings}): the guest's
 * half resolved in a view that holds only lt-tdisc-ctr and lt-tdisc-guest and cannot see the VMM, the
 * host's half resolved from the tap in a view that holds only lt-tdisc-host and lt-tdisc-inet, then
 * merged — must give the same path and the same findings as one resolution that sees everything.
 */
class PathMergeTest {
  static final List<String> GUEST = List.of("lt-tdisc-ctr", "lt-tdisc-guest");
  static final List<String> HOST = List.of("lt-tdisc-host", "lt-tdisc-inet");
  static final PathRequest REQUEST = new PathRequest("lt-tdisc-ctr", "netns:lt-tdisc-ctr", "198.51.100.10",
      dev.layertrace.model.Protocol.ICMP, 0);

  /** A recorded host as one half sees it: only {@code names}, and the VMM visible or not. */
  static HostView half(RawSource all, List<String> names, boolean seesVmm) {
    return new DecodingHostView(new RawSource() {
      @Override
      public List<String> namespaceNames() {
        return names;
      }

      @Override
      public RawNamespace namespace(String name) {
        if (!names.contains(name)) {
          throw LayertraceException.usage("out of this half: " + name);
        }
        return all.namespace(name);
      }

      @Override
      public byte[] routeFor(String netns, FlowQuery q) {
        if (!names.contains(netns)) {
          throw LayertraceException.usage("out of this half: " + netns);
        }
        return all.routeFor(netns, q);
      }

      @Override
      public Optional<String> resolveNsid(String netns, int nsid) {
        return all.resolveNsid(netns, nsid).filter(names::contains);
      }

      @Override
      public List<TunHolder> tunHolders() {
        return seesVmm ? all.tunHolders() : List.of();
      }

      @Override
      public boolean seesVmm() {
        return seesVmm;
      }
    });
  }

  static List<String> hops(DiscoveredPath p) {
    return p.graph().toPath().hops().stream().map(l -> l.kind().word() + " " + l.netns() + " " + l.iface()).toList();
  }

  static List<String> codes(List<Finding> findings) {
    return findings.stream().map(f -> f.code() + "@" + f.layer().label()).sorted().toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"healthy", "bridge-down", "guest-ip-forward-off", "guest-wrong-gateway",
      "host-ip-forward-off", "mtu-blackhole", "tap-down", "uplink-down", "veth-detached", "veth-peer-down",
      "vmm-stalled"})
  void twoHalvesMergedEqualOneResolutionThatSeesBothKernels(String recording) {
    RawSource all = Recordings.load(recording).replay();
    DiscoveredPath whole = new PathResolver(new DecodingHostView(all), null).resolve(REQUEST);

    DiscoveredPath near = new PathResolver(half(all, GUEST, false), null).resolve(REQUEST);
    assertThat(near.handoff()).as("the guest half ends at the guest NIC").isNotNull();
    assertThat(near.handoff().netns()).isEqualTo("lt-tdisc-guest");
    assertThat(near.handoff().iface()).isEqualTo("eth0");
    assertThat(near.findings()).noneMatch(f -> f.layer().kind() == LayerKind.VMM_LINK);

    HostView hostHalf = half(all, HOST, true);
    TapLocator.Device tap = TapLocator.locate(hostHalf, near.handoff()).orElseThrow();
    assertThat(tap).isEqualTo(new TapLocator.Device("lt-tdisc-host", "tap0"));
    DiscoveredPath far = new PathResolver(hostHalf, null).resolveFromTap(REQUEST, near.handoff(), tap.netns(),
        tap.iface());

    DiscoveredPath merged = PathMerge.merge(near, far, "guest", "host", "unix:/test");
    assertThat(hops(merged)).isEqualTo(hops(whole));
    assertThat(codes(merged.findings())).isEqualTo(codes(whole.findings()));
    for (Layer l : merged.graph().toPath().hops()) {
      if (l.kind() == LayerKind.VMM_LINK) {
        assertThat(l.kernel()).isNull();
        assertThat(l.details()).containsEntry("agent", "unix:/test").containsKey("pid");
      } else {
        assertThat(l.kernel()).as(l.id()).isEqualTo(GUEST.contains(l.netns()) ? "guest" : "host");
      }
    }
    assertThat(merged.graph().edges()).anyMatch(e -> e.from().equals("lt-tdisc-guest/eth0") && e.to().equals("vmm"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ctr-no-default-route", "guest-nic-down"})
  void aPathThatEndsInTheGuestHandsNothingOverAndEqualsTheWholeResolution(String recording) {
    RawSource all = Recordings.load(recording).replay();
    assertThat(hops(new PathResolver(half(all, GUEST, false), null).resolve(REQUEST)))
        .isEqualTo(hops(new PathResolver(new DecodingHostView(all), null).resolve(REQUEST)));
    DiscoveredPath near = new PathResolver(half(all, GUEST, false), null).resolve(REQUEST);
    assertThat(near.handoff()).isNull();
  }

  @org.junit.jupiter.api.Test
  void theHostHalfCannotReadTheGuestsNamespaces() {
    RawSource all = Recordings.load("healthy").replay();
    DiscoveredPath near = new PathResolver(half(all, GUEST, false), null).resolve(REQUEST);
    assertThatThrownBy(() -> new PathResolver(half(all, HOST, true), null)
        .resolveFromTap(REQUEST, near.handoff(), "lt-tdisc-guest", "eth0"))
        .isInstanceOf(LayertraceException.class).hasMessageContaining("out of this half: lt-tdisc-guest");
  }
}
