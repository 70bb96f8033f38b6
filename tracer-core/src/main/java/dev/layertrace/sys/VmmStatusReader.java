package dev.layertrace.sys;

import dev.layertrace.discover.QemuControlSocket;
import dev.layertrace.discover.VmStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Asks a VMM process for its VM's run state over the control socket its command line names (QEMU's
 * QMP or human monitor). Read-only ({@code query-status} / {@code info status}) and bounded: a socket
 * that another client holds (QEMU serves one at a time) or that does not answer in time gives
 * "unknown", never a wait.
 */
final class VmmStatusReader {
  static final Duration TIMEOUT = Duration.ofMillis(800);

  private VmmStatusReader() {}

  /** {@code args}: the VMM's command line; empty when it names no control socket or nothing answered. */
  static Optional<VmStatus> read(List<String> args) {
    return QemuControlSocket.of(args).flatMap(VmmStatusReader::ask);
  }

  private static Optional<VmStatus> ask(QemuControlSocket s) {
    try {
      String answer = s.qmp() ? qmp(s) : QemuMonitor.command(s.socket(), "info status", TIMEOUT);
      return QemuControlSocket.runState(answer)
          .map(state -> new VmStatus(state, (s.qmp() ? "QEMU QMP " : "QEMU monitor ") + s.socket()));
    } catch (RuntimeException e) {
      return Optional.empty(); // busy, gone or not ours to read: unknown
    }
  }

  /** Greeting, {@code qmp_capabilities}, {@code query-status}: returns the last answer's line. */
  private static String qmp(QemuControlSocket s) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX); Selector sel = Selector.open()) {
      ch.connect(UnixDomainSocketAddress.of(s.socket()));
      ch.configureBlocking(false);
      ch.register(sel, SelectionKey.OP_READ);
      StringBuilder in = new StringBuilder();
      line(ch, sel, in, deadline, "\"QMP\"");
      write(ch, "{\"execute\":\"qmp_capabilities\"}\n");
      line(ch, sel, in, deadline, "\"return\"");
      write(ch, "{\"execute\":\"query-status\"}\n");
      return line(ch, sel, in, deadline, "\"return\"");
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static void write(SocketChannel ch, String text) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  /** The next whole line containing {@code marker}; events QEMU sends in between are skipped. */
  private static String line(SocketChannel ch, Selector sel, StringBuilder in, long deadline, String marker)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    while (true) {
      int nl;
      while ((nl = in.indexOf("\n")) >= 0) {
        String l = in.substring(0, nl);
        in.delete(0, nl + 1);
        if (l.contains(marker)) {
          return l;
        }
      }
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        throw new IOException("no answer in time");
      }
      sel.select(left);
      sel.selectedKeys().clear();
      buf.clear();
      int n = ch.read(buf);
      if (n < 0) {
        throw new IOException("closed");
      }
      in.append(new String(buf.array(), 0, n, StandardCharsets.UTF_8));
    }
  }
}
