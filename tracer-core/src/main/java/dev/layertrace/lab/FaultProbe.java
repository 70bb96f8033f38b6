package dev.layertrace.lab;

import dev.layertrace.model.Protocol;
import java.util.Objects;

/**
 * The probe that shows a fault: what to send from the container to {@link LabTopology#REMOTE}.
 *
 * @param size total IP packet length in bytes
 * @param df whether the don't-fragment bit must be set
 */
public record FaultProbe(Protocol protocol, int size, boolean df) {
  /** ping's default: an 84-byte ICMP echo. */
  public static final FaultProbe ICMP_ECHO = new FaultProbe(Protocol.ICMP, 84, false);

  public FaultProbe {
    Objects.requireNonNull(protocol, "protocol");
    if (size < 28 || size > 65535) {
      throw new IllegalArgumentException("probe size must be 28..65535 bytes");
    }
  }

  /** {@code ICMP echo, 84 bytes} or {@code ICMP echo, 1500 bytes, DF}. */
  public String describe() {
    String what = switch (protocol) {
      case ICMP -> "ICMP echo";
      case UDP -> "UDP datagram";
      case TCP -> "TCP SYN";
    };
    return what + ", " + size + " bytes" + (df ? ", DF" : "");
  }
}
