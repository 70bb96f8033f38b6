package dev.layertrace.packet;

/** A TCP segment: ports, sequence and acknowledgement numbers, flags, window, and the payload. */
public record TcpSegment(int srcPort, int dstPort, long seq, long ack, int dataOffset, int flags, int window,
    int checksum, byte[] data) implements Transport {
  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int PSH = 0x08;
  public static final int ACK = 0x10;
  static final int MIN_HEADER = 20;

  public TcpSegment {
    data = data.clone();
  }

  static TcpSegment parse(byte[] b, int off, int end, boolean quoted) {
    if (quoted && end - off >= 8 && end - off < MIN_HEADER) {
      // An ICMP error may quote only the first 8 bytes: ports and sequence number.
      Bytes.need(b, off, 8, "quoted TCP header");
      return new TcpSegment(Bytes.u16(b, off), Bytes.u16(b, off + 2), Bytes.u32(b, off + 4), 0, 0, 0, 0, 0,
          new byte[0]);
    }
    Bytes.need(b, off, MIN_HEADER, "TCP header");
    if (end - off < MIN_HEADER) {
      throw new PacketParseException("TCP header: IP payload has only " + (end - off) + " bytes");
    }
    int dataOffset = (Bytes.u8(b, off + 12) >>> 4) * 4;
    if (dataOffset < MIN_HEADER) {
      throw new PacketParseException("TCP header: data offset " + dataOffset + " is below 20");
    }
    if (off + dataOffset > end) {
      if (!quoted) {
        throw new PacketParseException("TCP header: data offset " + dataOffset + " runs past the packet");
      }
    }
    int dataStart = Math.min(off + dataOffset, end);
    return new TcpSegment(Bytes.u16(b, off), Bytes.u16(b, off + 2), Bytes.u32(b, off + 4), Bytes.u32(b, off + 8),
        dataOffset, Bytes.u8(b, off + 13), Bytes.u16(b, off + 14), Bytes.u16(b, off + 16),
        Bytes.slice(b, dataStart, end));
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public byte[] payload() {
    return data.clone();
  }

  public boolean has(int flag) {
    return (flags & flag) == flag;
  }
}
