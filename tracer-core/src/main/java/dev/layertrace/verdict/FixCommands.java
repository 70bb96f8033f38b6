package dev.layertrace.verdict;

import dev.layertrace.model.Layer;
import java.util.Optional;

/** Concrete commands that undo the common causes, written for the namespace where the fault is. */
final class FixCommands {
  private FixCommands() {}

  static String inNetns(String netns, String command) {
    return netns == null ? command : "ip netns exec " + netns + " " + command;
  }

  static String linkUp(Layer l) {
    return inNetns(l.netns(), "ip link set dev " + l.iface() + " up");
  }

  static String forwardingOn(String netns) {
    return inNetns(netns, "sysctl -w net.ipv4.ip_forward=1");
  }

  static String attachToBridge(String netns, String port, String bridge) {
    return inNetns(netns, "ip link set dev " + port + " master " + bridge);
  }

  static String masquerade(String netns, String sourceCidr, String outIface) {
    return inNetns(netns, "iptables -t nat -A POSTROUTING -s " + sourceCidr + (outIface == null ? "" : " -o " + outIface)
        + " -j MASQUERADE");
  }

  static String acceptForward(String netns, String src, String dst) {
    return inNetns(netns, "iptables -I FORWARD -s " + src + " -d " + dst + " -j ACCEPT");
  }

  static String defaultRoute(String netns, String gateway, String iface) {
    return inNetns(netns, "ip route replace default via " + gateway + (iface == null ? "" : " dev " + iface));
  }

  static String mtu(Layer l, int size) {
    return inNetns(l.netns(), "ip link set dev " + l.iface() + " mtu " + size);
  }

  /** The network of an address in CIDR form: {@code 172.17.0.2/16} → {@code 172.17.0.0/16}. */
  static Optional<String> network(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    String[] o = cidr.substring(0, slash).split("\\.");
    int bits = Integer.parseInt(cidr.substring(slash + 1));
    if (o.length != 4 || bits < 0 || bits > 32) {
      return Optional.empty();
    }
    long a = 0;
    for (String part : o) {
      a = (a << 8) | Integer.parseInt(part);
    }
    long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
    long n = a & mask;
    return Optional.of(((n >> 24) & 255) + "." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255) + "/"
        + bits);
  }

  /** True when {@code ip} is inside the network of {@code cidr}. */
  static boolean contains(String cidr, String ip) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      return cidr.equals(ip);
    }
    String bits = cidr.substring(slash);
    return network(cidr).equals(network(ip + bits));
  }
}
