package dev.layertrace.discover;

import dev.layertrace.model.Protocol;
import java.util.Objects;

/**
 * What to resolve: from which namespace, to which address, with which protocol and port.
 *
 * @param sourceNetns display name of the source namespace (as {@link HostView#namespace} knows it)
 * @param sourceLabel how the user named the source ({@code netns:lt-ctr}, {@code pid:42}), for text
 * @param port destination port for udp/tcp, 0 for icmp
 */
public record PathRequest(String sourceNetns, String sourceLabel, String destination, Protocol protocol, int port) {
  public PathRequest {
    Objects.requireNonNull(sourceNetns, "sourceNetns");
    Objects.requireNonNull(destination, "destination");
    protocol = protocol == null ? Protocol.ICMP : protocol;
  }

  /** The IP protocol number: 1, 6 or 17. */
  public int ipProtocol() {
    return switch (protocol) {
      case ICMP -> 1;
      case TCP -> 6;
      case UDP -> 17;
    };
  }
}
