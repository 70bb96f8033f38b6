package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.discover.DecodingHostView;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.discover.HostRecording;
import dev.layertrace.discover.PathRequest;
import dev.layertrace.discover.PathResolver;
import dev.layertrace.model.Finding;
import dev.layertrace.model.Protocol;
import dev.layertrace.testing.RootOnly;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Breaks the scratch lab one fault at a time (the lab catalog's configuration faults, applied to
 * lt-tdisc-*), resolves the path and checks that a finding names the right layer. With
 * {@code -Dlt.record=DIR} it writes {@code DIR/FAULT.json} recordings for {@code PathResolverTest}.
 */
@RootOnly
class DiscoveryFaultsTest {
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

  @ParameterizedTest
  @EnumSource(ScratchFault.class)
  void findingNamesTheBrokenLayer(ScratchFault fault) throws Exception {
    fault.apply(lab, true);
    try (LiveHost live = LiveHost.scan()) {
      HostRecording.Recorder rec = HostRecording.recording(live);
      DiscoveredPath p = new PathResolver(new DecodingHostView(rec), null)
          .resolve(new PathRequest(lab.ns("ctr"), "netns:" + lab.ns("ctr"), "198.51.100.10", Protocol.ICMP, 0));
      String netns = fault.role == null ? null : lab.ns(fault.role);
      assertThat(p.findings()).as(p.findings().toString())
          .anySatisfy(f -> {
            assertThat(f.code()).isEqualTo(fault.code);
            assertThat(f.layer().kind().word()).isEqualTo(fault.kind);
            assertThat(f.layer().netns()).isEqualTo(netns);
          });
      String out = System.getProperty("lt.record");
      if (out != null) {
        Files.createDirectories(Path.of(out));
        new ObjectMapper().writeValue(Path.of(out, fault.fileName()).toFile(), rec.recording());
      }
    } finally {
      fault.apply(lab, false);
    }
  }

  /** Sanity for the table: every fault heals back to a path without errors. */
  static List<Finding> errors(DiscoveredPath p) {
    return p.findings().stream().filter(f -> f.severity().word().equals("error")).toList();
  }

  /** The configuration faults of the lab catalog, as commands on the scratch lab. */
  enum ScratchFault {
    CTR_NO_DEFAULT_ROUTE("ctr", "container", "no-route",
        Map.of("ctr", "ip route del default"), Map.of("ctr", "ip route add default via 172.17.0.1")),
    VETH_PEER_DOWN("guest", "veth", "link-down",
        Map.of("guest", "ip link set veth-ctr down"), Map.of("guest", "ip link set veth-ctr up")),
    VETH_DETACHED("guest", "bridge", "not-bridged",
        Map.of("guest", "ip link set veth-ctr nomaster"), Map.of("guest", "ip link set veth-ctr master docker0")),
    BRIDGE_DOWN("guest", "bridge", "link-down",
        Map.of("guest", "ip link set docker0 down"), Map.of("guest", "ip link set docker0 up")),
    GUEST_IP_FORWARD_OFF("guest", "forwarding", "forwarding-disabled",
        Map.of("guest", "sysctl -qw net.ipv4.ip_forward=0"), Map.of("guest", "sysctl -qw net.ipv4.ip_forward=1")),
    GUEST_NIC_DOWN("guest", "nic", "link-down",
        Map.of("guest", "ip link set eth0 down"),
        Map.of("guest", "ip link set eth0 up;ip route replace default via 172.16.0.1")),
    TAP_DOWN("host", "tap", "link-down",
        Map.of("host", "ip link set tap0 down"), Map.of("host", "ip link set tap0 up")),
    HOST_IP_FORWARD_OFF("host", "forwarding", "forwarding-disabled",
        Map.of("host", "sysctl -qw net.ipv4.ip_forward=0"), Map.of("host", "sysctl -qw net.ipv4.ip_forward=1")),
    UPLINK_DOWN("host", "uplink", "link-down",
        Map.of("host", "ip link set uplink0 down"),
        Map.of("host", "ip link set uplink0 up;ip route replace default via 203.0.113.1")),
    MTU_BLACKHOLE("guest", "nic", "mtu-exceeded",
        Map.of("guest", "ip link set eth0 mtu 1400", "host", "ip link set tap0 mtu 1400"),
        Map.of("guest", "ip link set eth0 mtu 1500", "host", "ip link set tap0 mtu 1500")),
    GUEST_WRONG_GATEWAY("guest", "nic", "neighbor-unresolved",
        Map.of("guest", "ip route replace default via 172.16.0.9 dev eth0 onlink"),
        Map.of("guest", "ip route replace default via 172.16.0.1 dev eth0")),
    VMM_STALLED(null, "vmm-link", "vmm-not-relaying", Map.of(), Map.of());

    final String role;
    final String kind;
    final String code;
    final Map<String, String> breakCmds;
    final Map<String, String> healCmds;

    ScratchFault(String role, String kind, String code, Map<String, String> breakCmds, Map<String, String> healCmds) {
      this.role = role;
      this.kind = kind;
      this.code = code;
      this.breakCmds = breakCmds;
      this.healCmds = healCmds;
    }

    String fileName() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ".json";
    }

    void apply(ScratchLab lab, boolean broken) throws Exception {
      if (this == VMM_STALLED) {
        String pid = Files.readString(Path.of("/run/layertrace/lt-tdisc-scratch/relay.pid")).strip();
        Commands.run("kill", broken ? "-STOP" : "-CONT", pid).orThrow();
        return;
      }
      for (var e : (broken ? breakCmds : healCmds).entrySet()) {
        for (String cmd : e.getValue().split(";")) {
          lab.exec(e.getKey(), cmd.split(" "));
        }
      }
    }
  }
}
