package dev.layertrace.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Byte-level mutations in the AFL manner, each decoded from one generated int so that jqwik can
 * shrink a failing input to a few small operations: flip a bit, set a byte, write an "interesting"
 * 16/32-bit value (lengths are where parsers break), delete, duplicate or truncate.
 */
final class Mutations {
  private static final int[] INTERESTING_32 = {0, 1, -1, 0x7fffffff, 0x80000000, 0xffff, 0x10000, 4, 16, 20, 0x7fff};
  private static final int[] INTERESTING_16 = {0, 1, 3, 4, 0xffff, 0x7fff, 0x8000, 16, 0x1ff};
  private static final int KINDS = 8;

  private Mutations() {}

  /** Applies {@code ops} in order to a copy of {@code seed}. */
  static byte[] apply(byte[] seed, List<Integer> ops) {
    byte[] b = seed.clone();
    for (int op : ops) {
      b = applyOne(b, op);
    }
    return b;
  }

  private static byte[] applyOne(byte[] b, int op) {
    int kind = Math.floorMod(op, KINDS);
    int arg = op >>> 3;
    if (b.length == 0) {
      return kind == 6 ? new byte[] {(byte) arg} : b;
    }
    int pos = Math.floorMod(arg, b.length);
    int val = arg >>> 20;
    switch (kind) {
      case 0 -> b[pos] ^= (byte) (1 << (val & 7));
      case 1 -> b[pos] = (byte) val;
      case 2 -> putInt(b, pos, INTERESTING_32[val % INTERESTING_32.length], (val & 1) == 0);
      case 3 -> putShort(b, pos, INTERESTING_16[val % INTERESTING_16.length], (val & 1) == 0);
      case 4 -> {
        return Arrays.copyOf(b, pos);
      }
      case 5 -> {
        int n = Math.min(1 + (val & 63), b.length - pos);
        byte[] out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, pos);
        System.arraycopy(b, pos + n, out, pos, b.length - pos - n);
        return out;
      }
      case 6 -> {
        int n = Math.min(1 + (val & 63), b.length - pos);
        byte[] out = new byte[b.length + n];
        System.arraycopy(b, 0, out, 0, pos + n);
        System.arraycopy(b, pos, out, pos + n, b.length - pos);
        return out;
      }
      default -> b[pos] = (byte) (b[pos] + (val & 0x1f) - 16);
    }
    return b;
  }

  private static void putInt(byte[] b, int pos, int v, boolean little) {
    if (pos + 4 <= b.length) {
      ByteBuffer.wrap(b).order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN).putInt(pos, v);
    }
  }

  private static void putShort(byte[] b, int pos, int v, boolean little) {
    if (pos + 2 <= b.length) {
      ByteBuffer.wrap(b).order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN).putShort(pos, (short) v);
    }
  }
}
