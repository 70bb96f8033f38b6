package dev.layertrace.lab;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one lab namespace holds: links, IPv4 addresses, main-table routes, the lab's sysctls and
 * the netfilter rules as {@code iptables-save} and {@code nft list ruleset} print them (counters
 * removed).
 */
public record NamespaceState(
    String netns,
    List<LinkState> links,
    List<AddressState> addresses,
    List<RouteState> routes,
    Map<String, String> sysctls,
    String iptables,
    String nftables) {

  public NamespaceState {
    links = List.copyOf(links);
    addresses = List.copyOf(addresses);
    routes = List.copyOf(routes);
    sysctls = java.util.Collections.unmodifiableMap(new TreeMap<>(sysctls));
    iptables = iptables == null ? "" : iptables;
    nftables = nftables == null ? "" : nftables;
  }

  public Optional<LinkState> link(String name) {
    return links.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  public Optional<RouteState> defaultRoute() {
    return routes.stream().filter(RouteState::isDefault).findFirst();
  }

  /** Every line of the canonical form, in a stable order. */
  String canonical() {
    StringBuilder b = new StringBuilder("netns ").append(netns).append('\n');
    links.stream().map(LinkState::canonical).sorted().forEach(s -> b.append(s).append('\n'));
    addresses.stream().map(AddressState::canonical).sorted().forEach(s -> b.append(s).append('\n'));
    routes.stream().map(RouteState::canonical).sorted().forEach(s -> b.append(s).append('\n'));
    sysctls.forEach((k, v) -> b.append("sysctl ").append(k).append(" = ").append(v).append('\n'));
    iptables.lines().forEach(l -> b.append("iptables ").append(l).append('\n'));
    nftables.lines().forEach(l -> b.append("nft ").append(l).append('\n'));
    return b.toString();
  }
}
