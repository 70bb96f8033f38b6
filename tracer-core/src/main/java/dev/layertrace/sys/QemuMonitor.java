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
 * QEMU's control sockets. The human monitor on the lab's unix socket: {@code stop} freezes the
 * guest's vCPUs and its virtio-net backend (a stalled VMM: the tap stays up, nothing is read from
 * it), {@code cont} resumes. QMP, the machine-readable one, for questions such as {@code query-status}.
 */
public final class QemuMonitor {
  private static final String PROMPT = "(qemu) ";

  private QemuMonitor() {}

  /** Runs one monitor command and returns what QEMU printed for it (the echo and the prompt left out). */
  public static String command(Path socket, String command, Duration timeout) {
    return talk(socket, timeout, (ch, in) -> {
      in.readUntil(t -> t.endsWith(PROMPT)); // the banner
      in.consume();
      write(ch, command + "\n");
      String text = in.readUntil(t -> t.endsWith(PROMPT));
      String reply = text.substring(0, text.length() - PROMPT.length()).replace("\r", "");
      int firstLine = reply.indexOf('\n');
      return (firstLine < 0 ? "" : reply.substring(firstLine + 1)).strip();
    });
  }

  /**
   * Runs one QMP command ({@code {"execute": NAME}}) after the greeting and {@code qmp_capabilities},
   * and returns the line of its answer (events QEMU sends in between are skipped).
   */
  public static String qmp(Path socket, String execute, Duration timeout) {
    return talk(socket, timeout, (ch, in) -> {
      in.line(l -> l.contains("\"QMP\""));
      write(ch, "{\"execute\":\"qmp_capabilities\"}\n");
      in.line(l -> l.contains("\"return\""));
      write(ch, "{\"execute\":\"" + execute + "\"}\n");
      return in.line(l -> l.contains("\"return\"") || l.contains("\"error\""));
    });
  }

  private interface Conversation {
    String run(SocketChannel ch, Input in) throws IOException;
  }

  private static String talk(Path socket, Duration timeout, Conversation c) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector sel = Selector.open()) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.configureBlocking(false);
      ch.register(sel, SelectionKey.OP_READ);
      return c.run(ch, new Input(ch, sel, deadline));
    } catch (IOException e) {
      throw new LayertraceException(ExitCode.STOPPED, "cannot use QEMU's monitor " + socket + ": " + e.getMessage(), e);
    }
  }

  private static void write(SocketChannel ch, String text) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (out.hasRemaining()) {
      ch.write(out);
    }
  }

  /** What QEMU sent so far, read on until a condition holds or the deadline passes. */
  private static final class Input {
    private final SocketChannel ch;
    private final Selector sel;
    private final long deadline;
    private final ByteArrayOutputStream got = new ByteArrayOutputStream();
    private final ByteBuffer buf = ByteBuffer.allocate(4096);

    Input(SocketChannel ch, Selector sel, long deadline) {
      this.ch = ch;
      this.sel = sel;
      this.deadline = deadline;
    }

    /** Reads until the text received (since the last {@link #consume}) satisfies {@code done}; returns it. */
    String readUntil(java.util.function.Predicate<String> done) throws IOException {
      while (true) {
        String text = got.toString(StandardCharsets.UTF_8);
        if (done.test(text)) {
          return text;
        }
        more();
      }
    }

    /** The next whole line that satisfies {@code wanted}; the lines before it are dropped. */
    String line(java.util.function.Predicate<String> wanted) throws IOException {
      while (true) {
        String text = got.toString(StandardCharsets.UTF_8);
        int nl;
        while ((nl = text.indexOf('\n')) >= 0) {
          String l = text.substring(0, nl);
          text = text.substring(nl + 1);
          if (wanted.test(l)) {
            keep(text);
            return l;
          }
        }
        keep(text);
        more();
      }
    }

    void consume() {
      got.reset();
    }

    private void keep(String rest) {
      got.reset();
      got.writeBytes(rest.getBytes(StandardCharsets.UTF_8));
    }

    private void more() throws IOException {
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
