package dev.layertrace.probe;

import java.util.HexFormat;
import java.util.Random;

/**
 * The 16-bit id one probe carries in fields that survive NAT: the ICMP echo identifier, a payload
 * that starts with the marker {@code "LT"} + id, and for TCP a SYN sequence number equal to that
 * marker word. Shown as four hex digits ({@code 3f9c}).
 */
public record ProbeId(int value) {
  /** The two marker bytes that open every probe payload. */
  public static final int MAGIC = 0x4C54; // "LT"

  public ProbeId {
    if (value < 1 || value > 0xFFFF) {
      throw new IllegalArgumentException("a probe id is 1..65535, not " + value);
    }
  }

  /** {@code 3f9c}. */
  public static ProbeId parse(String hex) {
    return new ProbeId(Integer.parseInt(hex, 16));
  }

  /**
   * {@code count} consecutive ids from a random base, so that concurrent traces (each with its own
   * random base) almost never share an id; the chance of overlap is about count/65535 per pair.
   */
  public static java.util.List<ProbeId> allocate(int count, Random random) {
    if (count < 1 || count > 256) {
      throw new IllegalArgumentException("1..256 probes per trace, not " + count);
    }
    int base = 1 + random.nextInt(0xFFFF - count);
    java.util.List<ProbeId> ids = new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ids.add(new ProbeId(base + i));
    }
    return java.util.List.copyOf(ids);
  }

  public String hex() {
    return HexFormat.of().toHexDigits((short) value);
  }

  /** {@code 'L' 'T' id-hi id-lo}: the first four payload bytes. */
  public byte[] marker() {
    return new byte[] {'L', 'T', (byte) (value >>> 8), (byte) value};
  }

  /** The marker as one big-endian 32-bit word: what BPF loads and what a TCP SYN uses as its sequence. */
  public long markerWord() {
    return ((long) MAGIC << 16) | value;
  }

  @Override
  public String toString() {
    return hex();
  }
}
