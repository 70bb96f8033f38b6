package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.layertrace.LayertraceException;
import dev.layertrace.discover.DecodingHostView;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.discover.HostRecording;
import dev.layertrace.discover.NamespaceInventory;
import dev.layertrace.discover.PathRequest;
import dev.layertrace.discover.PathResolver;
import dev.layertrace.discover.TunHolder;
import dev.layertrace.model.Layer;
import dev.layertrace.model.Protocol;
import dev.layertrace.testing.RootOnly;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Discovery on a real scratch topology (lt-tdisc-ctr → guest bridge → tap relay → host → inet).
 * With {@code -Dlt.record=DIR} it also writes DIR/healthy.json, the recording that {@code PathResolverTest} replays.
 */
@RootOnly
class LiveDiscoveryTest {
  static ScratchLab lab;

  @BeforeAll
  static void up() {
    lab = ScratchLab.up("lt-tdisc-");
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void inventoryNamesTheNamespacesOnceEach() {
    NamespaceInventory inv = new NamespaceScanner().scan();
    assertThat(inv.names()).contains("lt-tdisc-ctr", "lt-tdisc-guest", "lt-tdisc-host", "lt-tdisc-inet");
    assertThat(inv.entries()).extracting(NamespaceInventory.Entry::inode).doesNotHaveDuplicates();
    int relay = Integer.parseInt(Commands.run("cat", "/run/layertrace/lt-tdisc-scratch/relay.pid").stdout().strip());
    // The relay was started from the root namespace: it is a process of the root namespace, named by pid.
    assertThat(inv.byPid(relay)).isPresent();
  }

  @Test
  void tunOwnerScannerFindsTheRelayHoldingBothTaps() throws Exception {
    int relay = Integer.parseInt(Files.readString(Path.of("/run/layertrace/lt-tdisc-scratch/relay.pid")).strip());
    List<TunHolder> holders = new TunOwnerScanner().scan();
    assertThat(holders).filteredOn(h -> h.pid() == relay).singleElement()
        .satisfies(h -> {
          assertThat(h.taps()).containsExactlyInAnyOrder("eth0", "tap0");
          assertThat(h.command()).contains("tap-relay.py");
          assertThat(h.stopped()).isFalse();
        });
  }

  @Test
  void sysctlsReadOnTheNamespaceThreadAreThatNamespaces() {
    // Make the two namespaces differ so that reading the wrong one would show.
    lab.exec("inet", "sysctl", "-qw", "net.ipv4.conf.all.rp_filter=2");
    try (LiveHost host = LiveHost.scan()) {
      for (String role : List.of("guest", "inet")) {
        String expectForward = lab.exec(role, "sysctl", "-n", "net.ipv4.ip_forward").stdout().strip();
        String expectRp = lab.exec(role, "sysctl", "-n", "net.ipv4.conf.all.rp_filter").stdout().strip();
        var s = host.namespace(lab.ns(role)).sysctls();
        assertThat(s.get("net.ipv4.ip_forward")).isEqualTo(expectForward);
        assertThat(s.get("net.ipv4.conf.all.rp_filter")).isEqualTo(expectRp);
      }
      assertThat(host.namespace(lab.ns("guest")).sysctls().get("net.ipv4.ip_forward")).isEqualTo("1");
      assertThat(host.namespace(lab.ns("inet")).sysctls().get("net.ipv4.ip_forward")).isEqualTo("0");
      assertThat(host.namespace(lab.ns("inet")).sysctls().get("net.ipv4.conf.all.rp_filter")).isEqualTo("2");
    } finally {
      lab.exec("inet", "sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0");
    }
  }

  @Test
  void nsidResolvesVethPeersToNames() {
    try (LiveHost host = LiveHost.scan()) {
      var view = new DecodingHostView(host);
      var eth0 = view.namespace(lab.ns("ctr")).link("eth0").orElseThrow();
      assertThat(host.resolveNsid(lab.ns("ctr"), eth0.linkNetnsId())).contains(lab.ns("guest"));
    }
  }

  @Test
  void healthyScratchPathCrossesEveryLayer() throws Exception {
    try (LiveHost live = LiveHost.scan()) {
      HostRecording.Recorder rec = HostRecording.recording(live);
      DiscoveredPath p = new PathResolver(new DecodingHostView(rec), null)
          .resolve(new PathRequest(lab.ns("ctr"), "netns:" + lab.ns("ctr"), "198.51.100.10", Protocol.ICMP, 0));
      List<Layer> hops = p.graph().toPath().hops();
      assertThat(hops).extracting(l -> l.kind().word() + " " + l.id()).containsExactly(
          "container lt-tdisc-ctr/eth0", "veth lt-tdisc-guest/veth-ctr", "bridge lt-tdisc-guest/docker0",
          "forwarding lt-tdisc-guest/forwarding", "filter lt-tdisc-guest/filter", "nat lt-tdisc-guest/nat",
          "nic lt-tdisc-guest/eth0", "vmm-link vmm", "tap lt-tdisc-host/tap0",
          "forwarding lt-tdisc-host/forwarding", "filter lt-tdisc-host/filter", "nat lt-tdisc-host/nat",
          "uplink lt-tdisc-host/uplink0", "remote lt-tdisc-inet/eth0");
      assertThat(p.findings()).filteredOn(f -> f.severity().word().equals("error")).isEmpty();
      Layer vmm = hops.get(7);
      assertThat(vmm.details()).containsKey("pid").containsEntry("state", "S");
      assertThat(hops.get(0).peer()).isEqualTo("lt-tdisc-guest/veth-ctr");
      assertThat(hops.get(1).master()).isEqualTo("docker0");
      assertThat(hops.get(3).details()).containsEntry("ip_forward", "1")
          .containsEntry("route", "default via 172.16.0.1 dev eth0");
      String out = System.getProperty("lt.record");
      if (out != null) {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.createDirectories(Path.of(out));
        m.writeValue(Path.of(out, "healthy.json").toFile(), rec.recording());
      }
    }
  }

  @Test
  void namespacesWithADeviceAreFoundWithoutReadingTheOthers() {
    try (LiveHost host = LiveHost.scan()) {
      List<String> withTap = host.namespacesWithDevice("tap0");
      assertThat(withTap).contains(lab.ns("host")).doesNotContain(lab.ns("ctr"), lab.ns("guest"), lab.ns("inet"));
      assertThat(host.namespacesWithDevice("uplink0")).contains(lab.ns("host")).doesNotContain(lab.ns("inet"));
      assertThat(withTap).isSubsetOf(host.namespaceNames());
      // A namespace already read is kept: its snapshot answers the question at no cost.
      host.namespace(lab.ns("ctr"));
      assertThat(host.namespacesWithDevice("tap0")).contains(lab.ns("ctr"), lab.ns("host"));
    }
  }

  @Test
  void theNamespaceTheKernelNamesForATapIsFoundByItsInodeAlone() throws Exception {
    int relay = Integer.parseInt(Files.readString(Path.of("/run/layertrace/lt-tdisc-scratch/relay.pid")).strip());
    TunHolder h = new TunOwnerScanner().scan().stream().filter(x -> x.pid() == relay).findFirst().orElseThrow();
    long hostTap = h.namespaceOf("tap0");
    assertThat(hostTap).as("TUNGETDEVNETNS through pidfd_getfd").isNotZero();
    try (LiveHost host = LiveHost.scan()) {
      List<String> named = host.namespacesWithInode(hostTap);
      assertThat(named).contains(lab.ns("host")).doesNotContain(lab.ns("ctr"), lab.ns("guest"), lab.ns("inet"));
      assertThat(named).allSatisfy(n -> assertThat(host.namespace(n).inode()).isEqualTo(hostTap));
      // An inode the scan does not know leaves every namespace a candidate, as without the shortcut.
      assertThat(host.namespacesWithInode(1L)).isEqualTo(host.namespaceNames());
    }
  }

  @Test
  void theFarTapIsTheOneTheKernelNamesWithoutLookingForItsNameEverywhere() {
    try (LiveHost live = LiveHost.scan()) {
      java.util.concurrent.atomic.AtomicInteger deviceWalks = new java.util.concurrent.atomic.AtomicInteger();
      dev.layertrace.discover.RawSource counted = new dev.layertrace.discover.RawSource() {
        @Override public List<String> namespaceNames() { return live.namespaceNames(); }
        @Override public dev.layertrace.discover.RawNamespace namespace(String n) { return live.namespace(n); }
        @Override public byte[] routeFor(String n, dev.layertrace.netlink.FlowQuery q) { return live.routeFor(n, q); }
        @Override public java.util.Optional<String> resolveNsid(String n, int id) { return live.resolveNsid(n, id); }
        @Override public List<TunHolder> tunHolders() { return live.tunHolders(); }
        @Override public List<String> namespacesWithInode(long inode) { return live.namespacesWithInode(inode); }
        @Override public List<String> namespacesWithDevice(String ifname) {
          deviceWalks.incrementAndGet();
          return live.namespacesWithDevice(ifname);
        }
      };
      DiscoveredPath p = new PathResolver(new DecodingHostView(counted), null)
          .resolve(new PathRequest(lab.ns("ctr"), "netns:" + lab.ns("ctr"), "198.51.100.10", Protocol.ICMP, 0));
      assertThat(p.graph().toPath().hops()).extracting(Layer::id).contains("vmm", "lt-tdisc-host/tap0");
      assertThat(deviceWalks).as("walks looking for tap0 by name").hasValue(0);
    }
  }

  /** A whole host's read (the discovery benchmark's) reads each namespace as a single read does. */
  @Test
  void aWholeHostReadReadsEachNamespaceAsASingleReadDoes() {
    try (LiveHost all = LiveHost.scan(); LiveHost one = LiveHost.scan()) {
      all.readAll(2);
      for (String role : List.of("ctr", "guest", "host")) {
        assertThat(all.namespace(lab.ns(role)).decode().sysctls()).as(role)
            .isEqualTo(one.namespace(lab.ns(role)).decode().sysctls());
      }
    }
  }

  @Test
  void prefetchedRulesAreTheRulesReadAndAFailureWaitsForTheAsking() {
    try (LiveHost host = LiveHost.scan()) {
      host.prefetchRulesets(lab.ns("guest"));
      host.prefetchRulesets("lt-tdisc-nope");

      assertThat(host.rulesets(lab.ns("guest")))
          .isEqualTo(dev.layertrace.netfilter.NetfilterModel.parse(NetfilterReader.dump(host.netns(lab.ns("guest")))));
      assertThatThrownBy(() -> host.rulesets("lt-tdisc-nope")).isInstanceOf(LayertraceException.class)
          .hasMessageContaining("no network namespace 'lt-tdisc-nope'");
    }
  }

  @Test
  void unknownNamespaceIsAUsageError() {
    try (LiveHost live = LiveHost.scan()) {
      assertThatThrownBy(() -> live.namespace("lt-tdisc-nope"))
          .isInstanceOf(LayertraceException.class).hasMessageContaining("no network namespace 'lt-tdisc-nope'");
    }
  }
}
