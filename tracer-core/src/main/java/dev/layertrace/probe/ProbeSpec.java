package dev.layertrace.probe;

import dev.layertrace.model.Protocol;
import java.net.Inet4Address;
import java.util.Objects;

/**
 * What to send: protocol, addresses, size, DF and TTL. A null source lets the kernel fill in the
 * outgoing interface's address (IP_HDRINCL with a zero source).
 *
 * @param dstPort the UDP/TCP destination port; ignored for ICMP
 * @param size total IP length in bytes; 0 means the protocol's default
 */
public record ProbeSpec(Protocol protocol, Inet4Address src, Inet4Address dst, int dstPort, int size, boolean df,
    int ttl) {
  /** ping's default echo: 84 bytes. */
  public static final int ICMP_DEFAULT_SIZE = 84;
  /** IP + UDP header + the 4-byte marker. */
  public static final int UDP_DEFAULT_SIZE = 32;
  /** IP + TCP header with an MSS option (a plain SYN). */
  public static final int TCP_DEFAULT_SIZE = 44;
  /** traceroute's first port: nobody listens there, so the remote answers "port unreachable". */
  public static final int UDP_DEFAULT_PORT = 33434;
  public static final int TCP_DEFAULT_PORT = 80;

  public ProbeSpec {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(dst, "dst");
    if (size == 0) {
      size = defaultSize(protocol);
    }
    if (size < minimumSize(protocol) || size > 65535) {
      throw new IllegalArgumentException(protocol.word() + " probes are " + minimumSize(protocol) + "..65535 bytes, not "
          + size);
    }
    if (ttl < 1 || ttl > 255) {
      throw new IllegalArgumentException("ttl must be 1..255, not " + ttl);
    }
    if (protocol != Protocol.ICMP && (dstPort < 1 || dstPort > 65535)) {
      throw new IllegalArgumentException("a " + protocol.word() + " probe needs a port 1..65535");
    }
  }

  public static int defaultSize(Protocol p) {
    return switch (p) {
      case ICMP -> ICMP_DEFAULT_SIZE;
      case UDP -> UDP_DEFAULT_SIZE;
      case TCP -> TCP_DEFAULT_SIZE;
    };
  }

  /** The smallest packet that still carries the id: headers plus the marker (TCP: in the sequence number). */
  public static int minimumSize(Protocol p) {
    return switch (p) {
      case ICMP -> 32;
      case UDP -> 32;
      case TCP -> 44;
    };
  }
}
