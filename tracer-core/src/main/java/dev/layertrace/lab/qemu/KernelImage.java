package dev.layertrace.lab.qemu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Where the compressed kernel sits inside a bzImage ({@code /boot/vmlinuz-*}), read from the x86 boot
 * protocol's setup header (2.08+: {@code payload_offset}, {@code payload_length}). Unpacked once at lab
 * build time, the kernel boots through its PVH entry point: under TCG that skips the real-mode setup
 * and the decompressor, about 5 of the 8 seconds a bzImage took to reach /init here.
 */
public final class KernelImage {
  /** The compressed kernel: {@code length} bytes from {@code offset}, the last four the unpacked size. */
  public record Payload(int offset, int length, Compression compression, long unpackedSize) {}

  /** How the payload is compressed (by its magic number). */
  public enum Compression { XZ, GZIP, OTHER }

  private KernelImage() {}

  /** The payload of {@code bzImage}, or empty when it is not a bzImage of boot protocol 2.08 or later. */
  public static Optional<Payload> payload(byte[] bzImage) {
    ByteBuffer b = ByteBuffer.wrap(bzImage).order(ByteOrder.LITTLE_ENDIAN);
    if (bzImage.length < 0x250 || b.getInt(0x202) != 0x53726448 /* "HdrS" */ || (b.getShort(0x206) & 0xffff) < 0x208) {
      return Optional.empty();
    }
    int setupSects = bzImage[0x1f1] == 0 ? 4 : bzImage[0x1f1] & 0xff;
    long start = (long) (setupSects + 1) * 512 + Integer.toUnsignedLong(b.getInt(0x248));
    long length = Integer.toUnsignedLong(b.getInt(0x24c));
    if (length < 8 || start + length > bzImage.length) {
      return Optional.empty();
    }
    int s = (int) start;
    Compression c = matches(bzImage, s, 0xfd, '7', 'z', 'X', 'Z', 0) ? Compression.XZ
        : matches(bzImage, s, 0x1f, 0x8b) ? Compression.GZIP : Compression.OTHER;
    long unpacked = Integer.toUnsignedLong(b.getInt(s + (int) length - 4));
    return Optional.of(new Payload(s, (int) length, c, unpacked));
  }

  /** True when {@code elf} starts like an x86-64 ELF file (what a PVH boot loads). */
  public static boolean isElf64(byte[] head) {
    return head.length >= 5 && matches(head, 0, 0x7f, 'E', 'L', 'F', 2);
  }

  private static boolean matches(byte[] b, int at, int... magic) {
    for (int i = 0; i < magic.length; i++) {
      if (at + i >= b.length || (b[at + i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
