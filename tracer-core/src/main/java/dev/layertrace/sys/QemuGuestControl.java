package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.lab.qemu.GuestControlProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A connection to the guest's control channel (QEMU's unix socket behind the virtio-serial port the
 * guest's init serves): runs shell scripts inside the guest and returns their exit code and output.
 * QEMU serves one client at a time: hold a connection briefly.
 */
public final class QemuGuestControl implements AutoCloseable {
  private static final String EOF = "\0eof";
  /** How long an unacknowledged request waits before it is sent again. */
  private static final Duration ACK_WAIT = Duration.ofMillis(1500);
  private static final int MAX_SENDS = 20;

  private final SocketChannel channel;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread reader;
  private long nextId = System.nanoTime() & 0xffffffL;

  private QemuGuestControl(SocketChannel channel) {
    this.channel = channel;
    this.reader = new Thread(this::readLines, "layertrace-qemu-control");
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects, waiting up to {@code timeout} for QEMU to create the socket. */
  public static QemuGuestControl connect(Path socket, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    do {
      if (Files.exists(socket)) {
        SocketChannel ch = null;
        try {
          ch = SocketChannel.open(StandardProtocolFamily.UNIX);
          ch.connect(UnixDomainSocketAddress.of(socket));
          return new QemuGuestControl(ch);
        } catch (IOException e) {
          last = e;
          closeQuietly(ch);
        }
      }
      sleep(50);
    } while (System.nanoTime() < deadline);
    throw new LayertraceException(ExitCode.STOPPED, "cannot reach the guest's control channel " + socket
        + (last == null ? " (QEMU did not create it)" : ": " + last.getMessage()));
  }

  /**
   * Runs {@code script} with {@code sh} in the guest, killed after {@code limit}; waits a little longer
   * than that for the answer. Throws when no answer comes (the guest is not serving the channel).
   */
  public GuestControlProtocol.Answer run(String script, Duration limit) {
    long id = nextId++;
    int seconds = (int) Math.max(1, (limit.toMillis() + 999) / 1000);
    byte[] request = GuestControlProtocol.request(id, seconds, script).getBytes(StandardCharsets.UTF_8);
    try {
      send(request);
      long deadline = System.nanoTime() + limit.toNanos() + TimeUnit.SECONDS.toNanos(5);
      // The guest acknowledges each request at once. Without the acknowledgement the request was
      // written while the guest was reopening its port (QEMU drops what the guest is not reading):
      // send it again; the guest runs a repeated id only once.
      String started = id + " started";
      boolean acknowledged = false;
      int sends = 1;
      long resendAt = System.nanoTime() + ACK_WAIT.toNanos();
      while (true) {
        long now = System.nanoTime();
        long left = deadline - now;
        long wait = acknowledged ? left : Math.min(left, resendAt - now);
        String line = wait > 0 ? lines.poll(wait, TimeUnit.NANOSECONDS) : null;
        if (line == null && !acknowledged && System.nanoTime() < deadline && sends < MAX_SENDS) {
          send(request);
          sends++;
          resendAt = System.nanoTime() + ACK_WAIT.toNanos();
          continue;
        }
        if (line == null || line.equals(EOF)) {
          throw new LayertraceException(ExitCode.STOPPED, "the guest did not answer within " + seconds + " s (+5 s)"
              + (line == null ? (acknowledged ? "" : " and never acknowledged the request (" + sends + " sends)")
                  : ": the control channel closed"));
        }
        if (line.strip().equals(started)) {
          acknowledged = true;
          continue;
        }
        GuestControlProtocol.Answer a = GuestControlProtocol.parse(line);
        if (a != null && a.id() == id) {
          return a;
        }
        // An answer to an earlier request that timed out, or noise: not ours.
      }
    } catch (IOException e) {
      throw new LayertraceException(ExitCode.STOPPED, "the guest's control channel failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LayertraceException(ExitCode.INTERNAL, "interrupted while waiting for the guest");
    }
  }

  private void send(byte[] request) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(request);
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }

  private void readLines() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      // closed: the waiting caller learns it from EOF
    }
    lines.add(EOF);
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(SocketChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // nothing left to do
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LayertraceException(ExitCode.INTERNAL, "interrupted");
    }
  }
}
