package dev.layertrace.probe;

import dev.layertrace.model.Edge;
import dev.layertrace.model.EdgeKind;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.PathGraph;
import dev.layertrace.sys.Commands;
import java.util.ArrayList;
import java.util.List;

/**
 * A three-namespace scratch topology of this test suite's own (names {@code lt-ttr-*}), the smallest
 * copy of the lab's NAT story: a "container" behind a router that masquerades towards a "remote"
 * that has no route back.
 *
 * <pre>
 * lt-ttr-c eth0 172.17.9.2/24 ── c0 172.17.9.1  lt-ttr-r (ip_forward, nft masquerade)  u0 198.51.100.1/24 ── eth0 198.51.100.10/24 lt-ttr-i
 * </pre>
 */
final class ScratchRouter implements AutoCloseable {
  static final String C = "lt-ttr-c";
  static final String R = "lt-ttr-r";
  static final String I = "lt-ttr-i";
  static final String REMOTE = "198.51.100.10";
  static final String NFT = "table ip lt_ttr {\n"
      + "  chain forward {\n    type filter hook forward priority filter; policy accept;\n  }\n"
      + "  chain post {\n    type nat hook postrouting priority srcnat; policy accept;\n"
      + "    oifname \"u0\" masquerade\n  }\n}\n";

  ScratchRouter() {
    close();
    try {
      for (String n : List.of(C, R, I)) {
        sh("ip netns add " + n);
        sh("ip -n " + n + " link set lo up");
        sh("ip netns exec " + n + " sysctl -q -w net.ipv6.conf.all.disable_ipv6=1");
        sh("ip netns exec " + n + " sysctl -q -w net.ipv4.conf.all.rp_filter=0");
      }
      sh("ip -n " + C + " link add eth0 type veth peer name c0 netns " + R);
      sh("ip -n " + I + " link add eth0 type veth peer name u0 netns " + R);
      sh("ip -n " + C + " addr add 172.17.9.2/24 dev eth0");
      sh("ip -n " + C + " link set eth0 up");
      sh("ip -n " + C + " route add default via 172.17.9.1");
      sh("ip -n " + R + " addr add 172.17.9.1/24 dev c0");
      sh("ip -n " + R + " addr add 198.51.100.1/24 dev u0");
      sh("ip -n " + R + " link set c0 up");
      sh("ip -n " + R + " link set u0 up");
      sh("ip -n " + I + " addr add 198.51.100.10/24 dev eth0");
      sh("ip -n " + I + " link set eth0 up");
      sh("ip netns exec " + R + " sysctl -q -w net.ipv4.ip_forward=1");
      Commands.run(List.of("ip", "netns", "exec", R, "nft", "-f", "-"), NFT, java.time.Duration.ofSeconds(10)).orThrow();
      // Resolve the neighbours once, as a running system would have them.
      sh("ip netns exec " + C + " ip neigh replace 172.17.9.1 lladdr " + mac(R, "c0") + " dev eth0 nud reachable");
      sh("ip netns exec " + R + " ip neigh replace 198.51.100.10 lladdr " + mac(I, "eth0") + " dev u0 nud reachable");
      sh("ip netns exec " + I + " ip neigh replace 198.51.100.1 lladdr " + mac(R, "u0") + " dev eth0 nud reachable");
      sh("ip netns exec " + R + " ip neigh replace 172.17.9.2 lladdr " + mac(C, "eth0") + " dev c0 nud reachable");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  static String mac(String ns, String dev) {
    return Commands.run("ip", "netns", "exec", ns, "cat", "/sys/class/net/" + dev + "/address").orThrow().stdout()
        .strip();
  }

  static void sh(String cmd) {
    Commands.run(List.of("sh", "-c", cmd), null, java.time.Duration.ofSeconds(10)).orThrow();
  }

  /** The path as discovery would describe it. */
  PathGraph graph() {
    List<Layer> n = new ArrayList<>();
    n.add(Layer.of(C + "/eth0", LayerKind.CONTAINER, C, "eth0").withLink(List.of("172.17.9.2/24"), null, 1500, "up",
        "veth"));
    n.add(Layer.of(R + "/c0", LayerKind.VETH, R, "c0").withLink(List.of("172.17.9.1/24"), null, 1500, "up", "veth"));
    n.add(Layer.of(R + "/forwarding", LayerKind.FORWARDING, R, null));
    n.add(Layer.of(R + "/filter", LayerKind.FILTER, R, null));
    n.add(Layer.of(R + "/nat", LayerKind.NAT, R, null));
    n.add(Layer.of(R + "/u0", LayerKind.NIC, R, "u0").withLink(List.of("198.51.100.1/24"), null, 1500, "up", "veth"));
    n.add(Layer.of(I + "/eth0", LayerKind.REMOTE, I, "eth0").withLink(List.of("198.51.100.10/24"), null, 1500, "up",
        "veth"));
    List<Edge> e = new ArrayList<>();
    for (int i = 0; i + 1 < n.size(); i++) {
      e.add(new Edge(n.get(i).id(), n.get(i + 1).id(), EdgeKind.ROUTE, null));
    }
    return PathGraph.linear(n, e);
  }

  @Override
  public void close() {
    for (String n : List.of(C, R, I)) {
      Commands.run("ip", "netns", "del", n);
    }
  }
}
