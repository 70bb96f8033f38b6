package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.netlink.Link;
import dev.layertrace.netlink.RtnetlinkParser;
import dev.layertrace.netlink.RtnetlinkRequests;
import dev.layertrace.netlink.Rtnl;
import dev.layertrace.testing.RootOnly;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The netconf read gives exactly what the /proc/sys files of the same namespace say. */
@RootOnly
class NamespaceSysctlsTest {
  private static final String NS = "lt-tfast-sysctl";

  @BeforeAll
  static void createNamespace() {
    Commands.run("ip", "netns", "del", NS);
    Commands.run("ip", "netns", "add", NS).orThrow();
    // Both ends inside the scratch namespace (this kernel has no dummy module).
    Commands.run("ip", "-n", NS, "link", "add", "lt-d0", "type", "veth", "peer", "name", "lt-d1").orThrow();
    // Values unlike the defaults (and unlike each other), so a read of the wrong namespace or key shows.
    Commands.run("ip", "netns", "exec", NS, "sysctl", "-qw", "net.ipv4.ip_forward=1",
        "net.ipv4.conf.all.rp_filter=2", "net.ipv4.conf.default.rp_filter=1", "net.ipv4.conf.lt-d0.rp_filter=2",
        "net.ipv4.conf.lt-d1.rp_filter=0").orThrow();
  }

  @AfterAll
  static void deleteNamespace() {
    Commands.run("ip", "netns", "del", NS);
  }

  @Test
  void netconfAgreesWithTheSysctlFiles() {
    List<Map<String, String>> both = NamespaceWalker.walk(List.of(Netns.named(NS)), t -> t, 1, t -> {
      try (RtnetlinkClient c = RtnetlinkClient.openHere(NS)) {
        Map<Integer, String> inputs = new TreeMap<>();
        for (var m : c.request(RtnetlinkRequests::dumpLinks, Rtnl.RTM_GETLINK)) {
          Link l = RtnetlinkParser.link(m);
          if (!l.loopback()) {
            inputs.put(l.index(), l.name());
          }
        }
        return List.of(NamespaceSysctls.readHere(c, inputs, true), NamespaceSysctls.readHere(inputs.values()));
      }
    }).get(0);

    assertThat(both.get(0)).isEqualTo(both.get(1)).containsEntry("net.ipv4.ip_forward", "1")
        .containsEntry("net.ipv4.conf.all.rp_filter", "2").containsEntry("net.ipv4.conf.default.rp_filter", "1")
        .containsEntry("net.ipv4.conf.lt-d0.rp_filter", "2").containsEntry("net.ipv4.conf.lt-d1.rp_filter", "0");
  }

  @Test
  void bridgeNfCallIptablesOnlyWhereABridgeCanUseIt() {
    List<Map<String, String>> both = NamespaceWalker.walk(List.of(Netns.named(NS)), t -> t, 1, t -> {
      try (RtnetlinkClient c = RtnetlinkClient.openHere(NS)) {
        return List.of(NamespaceSysctls.readHere(c, Map.of(), true), NamespaceSysctls.readHere(c, Map.of(), false));
      }
    }).get(0);
    boolean loaded = java.nio.file.Files.exists(java.nio.file.Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables"));
    if (loaded) {
      assertThat(both.get(0)).containsKey("net.bridge.bridge-nf-call-iptables");
    }
    assertThat(both.get(1)).doesNotContainKey("net.bridge.bridge-nf-call-iptables")
        .containsKey("net.ipv4.ip_forward");
  }
}
