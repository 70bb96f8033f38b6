package dev.layertrace.discover;

import dev.layertrace.netlink.Link;
import java.util.List;
import java.util.Optional;

/**
 * Finds the host's tap that receives a guest NIC's frames, from what the guest's half handed over:
 * the tap whose namespace has a neighbour entry with the guest NIC's MAC (an L2 fact), else a tap
 * sharing a subnet with the guest NIC. A VMM's config names its tap too ({@code host_dev_name} in
 * Firecracker, {@code tap=} in Cloud Hypervisor): the user may give it instead ({@code --tap}).
 */
public final class TapLocator {
  private TapLocator() {}

  /** A device by namespace and name. */
  public record Device(String netns, String iface) {
    /** {@code lt-host/tap0} → the device; a usage error otherwise. */
    public static Device parse(String s) {
      int slash = s == null ? -1 : s.indexOf('/');
      if (slash <= 0 || slash == s.length() - 1) {
        throw dev.layertrace.LayertraceException.usage("a tap is given as NETNS/IFACE (e.g. lt-host/tap0), not '" + s
            + "'");
      }
      return new Device(s.substring(0, slash), s.substring(slash + 1));
    }

    @Override
    public String toString() {
      return netns + "/" + iface;
    }
  }

  /**
   * The tap whose subnet holds {@code ip}: where a guest's address (its agent's, say) is reached from
   * this host, when there is no handoff to go by.
   */
  public static Optional<Device> locateByAddress(HostView host, String ip) {
    return locate(host, new Handoff(null, null, List.of(ip + "/32"), null, ip, ip, null, 0));
  }

  /** The guest's address as the tap's namespace knows it: an IPv4 neighbour with a MAC in one of the tap's subnets. */
  public static Optional<String> guestAddress(NamespaceSnapshot ns, Link tap) {
    List<String> nets = ns.cidrs(tap.index());
    return ns.neighbours().stream().filter(n -> n.ifindex() == tap.index() && n.lladdr() != null && n.dst() != null)
        .map(n -> n.dst()).filter(ip -> nets.stream().anyMatch(c -> Cidrs.sameSubnet(c, ip))).findFirst();
  }

  public static Optional<Device> locate(HostView host, Handoff h) {
    Device best = null;
    int bestScore = 0;
    for (String name : host.namespaceNames().stream().sorted().toList()) {
      NamespaceSnapshot ns;
      try {
        ns = host.namespace(name);
      } catch (dev.layertrace.LayertraceException gone) {
        continue;
      }
      for (Link l : ns.links()) {
        if (!"tun".equals(l.kind())) {
          continue;
        }
        int score = 0;
        if (h.mac() != null && ns.neighbours().stream()
            .anyMatch(n -> n.ifindex() == l.index() && h.mac().equalsIgnoreCase(n.lladdr()))) {
          score += 100;
        }
        for (String cidr : ns.cidrs(l.index())) {
          if (h.addresses().stream().anyMatch(a -> Cidrs.sameSubnet(cidr, a))) {
            score += 10;
          }
        }
        if (score > bestScore) {
          best = new Device(name, l.name());
          bestScore = score;
        }
      }
    }
    return Optional.ofNullable(best);
  }
}
