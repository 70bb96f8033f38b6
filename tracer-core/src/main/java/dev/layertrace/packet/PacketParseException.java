package dev.layertrace.packet;

/**
 * Bytes that are not the packet they claim to be: too short for a header, a length field that
 * points past the end, an IHL below five. The only exception the parsers throw.
 */
public final class PacketParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PacketParseException(String message) {
    super(message);
  }
}
