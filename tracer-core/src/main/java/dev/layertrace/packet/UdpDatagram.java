package dev.layertrace.packet;

/** A UDP datagram: ports, the length field, the checksum as received, and the payload. */
public record UdpDatagram(int srcPort, int dstPort, int length, int checksum, byte[] data) implements Transport {
  static final int HEADER = 8;

  public UdpDatagram {
    data = data.clone();
  }

  static UdpDatagram parse(byte[] b, int off, int end) {
    Bytes.need(b, off, HEADER, "UDP header");
    if (end - off < HEADER) {
      throw new PacketParseException("UDP header: IP payload has only " + (end - off) + " bytes");
    }
    return new UdpDatagram(Bytes.u16(b, off), Bytes.u16(b, off + 2), Bytes.u16(b, off + 4), Bytes.u16(b, off + 6),
        Bytes.slice(b, off + HEADER, end));
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public byte[] payload() {
    return data.clone();
  }
}
