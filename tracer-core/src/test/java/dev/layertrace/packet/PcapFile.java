package dev.layertrace.packet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Reads the frames of a classic libpcap file (what {@code tcpdump -w} writes), for parser fixtures. */
final class PcapFile {
  private PcapFile() {}

  static List<byte[]> frames(String resource) throws IOException {
    try (InputStream in = PcapFile.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no fixture " + resource);
      }
      ByteBuffer b = ByteBuffer.wrap(in.readAllBytes());
      int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
      if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
        b.order(ByteOrder.BIG_ENDIAN);
      }
      if (b.getInt(20) != 1) {
        throw new IOException(resource + " is not an Ethernet capture (linktype " + b.getInt(20) + ")");
      }
      List<byte[]> out = new ArrayList<>();
      int pos = 24;
      while (pos + 16 <= b.limit()) {
        int caplen = b.getInt(pos + 8);
        byte[] f = new byte[caplen];
        b.get(pos + 16, f);
        out.add(f);
        pos += 16 + caplen;
      }
      return out;
    }
  }
}
