package dev.layertrace.discover;

import dev.layertrace.netlink.Address;
import dev.layertrace.netlink.Link;
import dev.layertrace.netlink.Neighbour;
import dev.layertrace.netlink.Route;
import dev.layertrace.netlink.Rule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one network namespace looked like when it was read: its links, addresses, routes of every
 * table, policy rules, neighbours, and the sysctls discovery reports (read from a thread inside it).
 *
 * @param name the namespace's display name ({@code lt-guest}, {@code pid:4242})
 * @param inode the nsfs inode identifying it
 * @param sysctls by dotted name, e.g. {@code net.ipv4.ip_forward}, {@code net.ipv4.conf.eth0.rp_filter},
 *     {@code net.bridge.bridge-nf-call-iptables} (absent when br_netfilter is not loaded)
 */
public record NamespaceSnapshot(
    String name,
    long inode,
    List<Link> links,
    List<Address> addresses,
    List<Route> routes,
    List<Rule> rules,
    List<Neighbour> neighbours,
    Map<String, String> sysctls) {

  public NamespaceSnapshot {
    links = List.copyOf(links);
    addresses = List.copyOf(addresses);
    routes = List.copyOf(routes);
    rules = List.copyOf(rules);
    neighbours = List.copyOf(neighbours);
    sysctls = java.util.Collections.unmodifiableMap(new TreeMap<>(sysctls));
  }

  public Optional<Link> link(int index) {
    return links.stream().filter(l -> l.index() == index).findFirst();
  }

  public Optional<Link> link(String ifname) {
    return links.stream().filter(l -> l.name().equals(ifname)).findFirst();
  }

  /** The link's routable addresses (no link-local) as CIDR strings, IPv4 first as the kernel lists them. */
  public List<String> cidrs(int ifindex) {
    return addresses.stream().filter(a -> a.ifindex() == ifindex && a.routable()).map(Address::cidr).toList();
  }

  /** True when {@code ip} is configured on one of this namespace's interfaces. */
  public boolean ownsAddress(String ip) {
    return addresses.stream().anyMatch(a -> a.address().equals(ip));
  }

  public Optional<Neighbour> neighbour(int ifindex, String ip) {
    return neighbours.stream().filter(n -> n.ifindex() == ifindex && ip.equals(n.dst())).findFirst();
  }

  /** A sysctl as an int, or null when absent or not a number. */
  public Integer sysctlInt(String key) {
    String v = sysctls.get(key);
    if (v == null) {
      return null;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The name of link {@code index}, or {@code if<index>} when unknown. */
  public String linkName(int index) {
    return link(index).map(Link::name).orElse("if" + index);
  }
}
