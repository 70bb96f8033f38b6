package dev.layertrace.lab.qemu;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a cpio archive in the "newc" format (ASCII headers, 4-byte alignment), the format the
 * kernel unpacks an initramfs from. Every entry is owned by root with mtime 0, so the same contents
 * always give the same bytes.
 */
public final class CpioNewcWriter implements AutoCloseable {
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFLNK = 0120000;

  private final OutputStream out;
  private long written;
  private int inode = 1;

  public CpioNewcWriter(OutputStream out) {
    this.out = out;
  }

  public void directory(String path, int mode) throws IOException {
    header(path, S_IFDIR | mode, 2, 0);
  }

  public void file(String path, int mode, byte[] content) throws IOException {
    header(path, S_IFREG | mode, 1, content.length);
    write(content);
    pad();
  }

  public void symlink(String path, String target) throws IOException {
    byte[] t = target.getBytes(StandardCharsets.UTF_8);
    header(path, S_IFLNK | 0777, 1, t.length);
    write(t);
    pad();
  }

  /** Writes any entry of a plan, with {@code content} for a host file (ignored otherwise). */
  public void entry(InitramfsEntry e, byte[] content) throws IOException {
    if (e instanceof InitramfsEntry.Directory d) {
      directory(d.path(), d.mode());
    } else if (e instanceof InitramfsEntry.HostFile f) {
      file(f.path(), f.mode(), content);
    } else if (e instanceof InitramfsEntry.Text t) {
      file(t.path(), t.mode(), t.content().getBytes(StandardCharsets.UTF_8));
    } else if (e instanceof InitramfsEntry.Symlink s) {
      symlink(s.path(), s.target());
    }
  }

  /** Writes the trailer; the stream stays open. */
  @Override
  public void close() throws IOException {
    header("TRAILER!!!", 0, 1, 0);
    out.flush();
  }

  private void header(String path, int mode, int nlink, long size) throws IOException {
    // Paths in an initramfs are relative to its root.
    String name = path.startsWith("/") ? path.substring(1) : path;
    byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
    StringBuilder h = new StringBuilder("070701");
    long[] fields = {name.equals("TRAILER!!!") ? 0 : inode++, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, n.length, 0};
    for (long f : fields) {
      h.append(String.format("%08X", f));
    }
    write(h.toString().getBytes(StandardCharsets.US_ASCII));
    write(n);
    pad();
  }

  private void write(byte[] b) throws IOException {
    out.write(b);
    written += b.length;
  }

  private void pad() throws IOException {
    while (written % 4 != 0) {
      out.write(0);
      written++;
    }
  }
}
