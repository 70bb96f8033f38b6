package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One layer of the path: a device (veth, bridge, tap, NIC), a decision point (forwarding, filter,
 * NAT) or an end (container, remote), with the facts discovery read about it.
 *
 * @param id unique within a graph, stable across runs of the same topology, e.g. {@code lt-guest/nat}
 * @param kernel which kernel the layer lives in ({@code guest}, {@code host}); null on a one-kernel path
 * @param addresses CIDR addresses of the interface, if any
 * @param mac hardware address, if any
 * @param mtu MTU in bytes, if the layer is a device
 * @param operState {@code up}, {@code down}, {@code lowerlayerdown}, … as the kernel reports it
 * @param master the bridge this device is a port of
 * @param peer the other end: veth peer {@code netns/ifname}, or the far tap of a VMM link
 * @param driver link kind or driver ({@code veth}, {@code bridge}, {@code tun}, {@code virtio_net})
 * @param details further facts by name (route used, rule summaries, relay pid); sorted by key
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Layer(
    String id,
    LayerKind kind,
    String netns,
    @JsonProperty("interface") String iface,
    String kernel,
    List<String> addresses,
    String mac,
    Integer mtu,
    String operState,
    String master,
    String peer,
    String driver,
    Map<String, String> details) {

  public Layer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
    details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(details));
  }

  /** A layer with only its identity; use the {@code with…} methods to add facts. */
  public static Layer of(String id, LayerKind kind, String netns, String iface) {
    return new Layer(id, kind, netns, iface, null, List.of(), null, null, null, null, null, null, Map.of());
  }

  @JsonIgnore
  public LayerRef ref() {
    return new LayerRef(kind, netns, iface);
  }

  public Layer withKernel(String k) {
    return new Layer(id, kind, netns, iface, k, addresses, mac, mtu, operState, master, peer, driver, details);
  }

  public Layer withLink(List<String> addrs, String m, Integer mtuBytes, String state, String drv) {
    return new Layer(id, kind, netns, iface, kernel, addrs, m, mtuBytes, state, master, peer, drv, details);
  }

  public Layer withMaster(String bridge) {
    return new Layer(id, kind, netns, iface, kernel, addresses, mac, mtu, operState, bridge, peer, driver, details);
  }

  public Layer withPeer(String p) {
    return new Layer(id, kind, netns, iface, kernel, addresses, mac, mtu, operState, master, p, driver, details);
  }

  public Layer withDetail(String key, String value) {
    Map<String, String> d = new TreeMap<>(details);
    d.put(key, value);
    return new Layer(id, kind, netns, iface, kernel, addresses, mac, mtu, operState, master, peer, driver, d);
  }
}
