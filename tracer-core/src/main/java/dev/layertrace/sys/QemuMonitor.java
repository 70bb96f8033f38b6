package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * QEMU's human monitor on the lab's unix socket: {@code stop} freezes the guest's vCPUs and its
 * virtio-net backend (a stalled VMM: the tap stays up, nothing is read from it), {@code cont} resumes.
 */
public final class QemuMonitor {
  private static final String PROMPT = "(qemu) ";

  private QemuMonitor() {}

  /** Runs one monitor command and returns what QEMU printed for it (the echo and the prompt left out). */
  public static String command(Path socket, String command, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector sel = Selector.open()) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.configureBlocking(false);
      ch.register(sel, SelectionKey.OP_READ);
      readUntilPrompt(ch, sel, deadline); // the banner
      ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
      while (out.hasRemaining()) {
        ch.write(out);
      }
      String reply = readUntilPrompt(ch, sel, deadline).replace("\r", "");
      int firstLine = reply.indexOf('\n');
      return (firstLine < 0 ? "" : reply.substring(firstLine + 1)).strip();
    } catch (IOException e) {
      throw new LayertraceException(ExitCode.STOPPED, "cannot use QEMU's monitor " + socket + ": " + e.getMessage(), e);
    }
  }

  private static String readUntilPrompt(SocketChannel ch, Selector sel, long deadline) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(4096);
    while (true) {
      String text = got.toString(StandardCharsets.UTF_8);
      if (text.endsWith(PROMPT)) {
        return text.substring(0, text.length() - PROMPT.length());
      }
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        throw new LayertraceException(ExitCode.STOPPED, "QEMU's monitor did not answer in time");
      }
      sel.select(left);
      sel.selectedKeys().clear();
      buf.clear();
      int n = ch.read(buf);
      if (n < 0) {
        throw new LayertraceException(ExitCode.STOPPED, "QEMU's monitor closed the connection");
      }
      got.write(buf.array(), 0, n);
    }
  }
}
