package dev.layertrace.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** poll(2) over several file descriptors (sockets, tap devices). */
public final class Poll {
  private static final int POLLFD_SIZE = 8; // struct pollfd { int fd; short events; short revents; }

  private Poll() {}

  /**
   * Waits until one of {@code fds} has one of its {@code events}, or {@code timeoutMs} passes (negative:
   * forever). Fills {@code revents} and returns how many descriptors are ready, 0 on timeout. An
   * interrupted wait (EINTR) is resumed with the time left.
   */
  public static int poll(int[] fds, short[] events, short[] revents, int timeoutMs) {
    int n = fds.length;
    if (events.length != n || revents.length != n) {
      throw new IllegalArgumentException("fds, events and revents must have the same length");
    }
    ByteBuffer b = ByteBuffer.allocate(n * POLLFD_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      b.putInt(i * POLLFD_SIZE, fds[i]).putShort(i * POLLFD_SIZE + 4, events[i]);
    }
    byte[] raw = b.array();
    long deadline = timeoutMs < 0 ? 0 : System.nanoTime() + timeoutMs * 1_000_000L;
    int wait = timeoutMs;
    while (true) {
      int rc = Native.LIBC.poll(raw, n, wait);
      if (rc >= 0) {
        for (int i = 0; i < n; i++) {
          revents[i] = b.getShort(i * POLLFD_SIZE + 6);
        }
        return rc;
      }
      int errno = Native.errno();
      if (errno != Errno.EINTR) {
        throw new SysException("poll", errno);
      }
      if (timeoutMs >= 0) {
        wait = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
      }
    }
  }
}
