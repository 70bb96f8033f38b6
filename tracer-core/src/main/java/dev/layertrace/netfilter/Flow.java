package dev.layertrace.netfilter;

import dev.layertrace.model.Protocol;

/**
 * The packet to evaluate, as one namespace sees it.
 *
 * @param source IPv4 source address, e.g. {@code 172.17.0.2}
 * @param destination IPv4 destination address
 * @param protocol ICMP, UDP or TCP
 * @param sourcePort 0 for ICMP
 * @param destinationPort 0 for ICMP
 * @param inInterface the interface it arrives on ({@code docker0}); empty for {@link PathKind#LOCAL_OUT}
 * @param outInterface the interface it leaves by ({@code eth0}); empty for {@link PathKind#LOCAL_IN}
 * @param state its conntrack state (a probe's first packet is {@link CtState#NEW})
 * @param path forwarded, delivered locally, or sent locally
 */
public record Flow(String source, String destination, Protocol protocol, int sourcePort, int destinationPort,
    String inInterface, String outInterface, CtState state, PathKind path) {

  public Flow {
    inInterface = inInterface == null ? "" : inInterface;
    outInterface = outInterface == null ? "" : outInterface;
  }

  /** A new forwarded connection's first packet, e.g. the lab probe in lt-guest (in docker0, out eth0). */
  public static Flow forwarded(String source, String destination, Protocol protocol, int destinationPort,
      String inInterface, String outInterface) {
    return new Flow(source, destination, protocol, protocol == Protocol.ICMP ? 0 : 40000,
        protocol == Protocol.ICMP ? 0 : destinationPort, inInterface, outInterface, CtState.NEW, PathKind.FORWARD);
  }

  /** The flow as a NAT rewrite leaves it: the address and, when a single port is given, the port. */
  Flow translated(NatRewrite rw) {
    int port = -1;
    if (!rw.port().isEmpty() && rw.port().chars().allMatch(Character::isDigit) && rw.port().length() <= 5) {
      port = Integer.parseInt(rw.port());
    }
    if (rw.source()) {
      return new Flow(rw.to().isEmpty() ? source : rw.to(), destination, protocol, port < 0 ? sourcePort : port,
          destinationPort, inInterface, outInterface, state, path);
    }
    return new Flow(source, rw.to().isEmpty() ? destination : rw.to(), protocol, sourcePort,
        port < 0 ? destinationPort : port, inInterface, outInterface, state, path);
  }
}
