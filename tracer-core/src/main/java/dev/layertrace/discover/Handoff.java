package dev.layertrace.discover;

import java.util.List;

/**
 * Where a path leaves what this side can follow, into a VMM: the device the frame leaves by, and the
 * state of the walk at that point. The other kernel's half (an agent) continues from here, so its walk
 * sees the packet exactly as a single process that could see both kernels would.
 *
 * @param netns the namespace of the exit device (the guest NIC)
 * @param iface the exit device
 * @param addresses the exit device's CIDR addresses: the host's tap shares a subnet with them
 * @param mac the exit device's MAC: the host's neighbour entry for it names the tap's side
 * @param source the packet's source as the next kernel sees it (after NAT where known)
 * @param originalSource the source before any translation
 * @param routeSource the preferred source of the exit route (what a masquerade would use), or null
 * @param sourceMtu the source's MTU, for the narrowest-link check across both halves
 */
public record Handoff(String netns, String iface, List<String> addresses, String mac, String source,
    String originalSource, String routeSource, int sourceMtu) {
  public Handoff {
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
  }
}
