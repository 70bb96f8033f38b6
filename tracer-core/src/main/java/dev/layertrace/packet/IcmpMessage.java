package dev.layertrace.packet;

import java.util.Optional;

/**
 * An ICMP message. For echo request/reply, {@code id} and {@code seq} are the identifier and sequence
 * number; for errors (destination unreachable, time exceeded) they are the "rest of header" halves
 * (for fragmentation-needed, {@code seq} is the next-hop MTU) and the body quotes the offending packet.
 */
public record IcmpMessage(int type, int code, int checksum, int id, int seq, byte[] body) implements Transport {
  public static final int ECHO_REPLY = 0;
  public static final int DEST_UNREACHABLE = 3;
  public static final int ECHO_REQUEST = 8;
  public static final int TIME_EXCEEDED = 11;
  /** Destination unreachable code: fragmentation needed and DF set. */
  public static final int CODE_FRAG_NEEDED = 4;
  /** Destination unreachable code: port unreachable. */
  public static final int CODE_PORT_UNREACHABLE = 3;

  static final int HEADER = 8;

  public IcmpMessage {
    body = body.clone();
  }

  static IcmpMessage parse(byte[] b, int off, int end) {
    Bytes.need(b, off, HEADER, "ICMP header");
    if (end - off < HEADER) {
      throw new PacketParseException("ICMP header: IP payload has only " + (end - off) + " bytes");
    }
    return new IcmpMessage(Bytes.u8(b, off), Bytes.u8(b, off + 1), Bytes.u16(b, off + 2),
        Bytes.u16(b, off + 4), Bytes.u16(b, off + 6), Bytes.slice(b, off + HEADER, end));
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public byte[] payload() {
    return body.clone();
  }

  public boolean isEcho() {
    return type == ECHO_REQUEST || type == ECHO_REPLY;
  }

  /** True for the messages that quote an offending packet: unreachable, time exceeded. */
  public boolean isError() {
    return type == DEST_UNREACHABLE || type == TIME_EXCEEDED || type == 4 || type == 5 || type == 12;
  }

  /** The packet an error message quotes (its header and first bytes), if this is an error. */
  public Optional<Ipv4Packet> quoted() {
    if (!isError()) {
      return Optional.empty();
    }
    return Optional.of(Ipv4Packet.parseQuoted(body));
  }
}
