package dev.layertrace.sys;

/**
 * A file descriptor owned by one Java object, closed exactly once, and never while a call on it is in
 * flight: {@link #close()} from another thread only marks it, and the last call to leave closes it. So
 * a concurrent close can never make a blocked reader act on a reused descriptor number. Blocking calls
 * wait in {@link #awaitReady} slices of {@link #WAKE_MS} so that they notice a close.
 */
final class OwnedFd {
  /** How often a blocked call checks whether its descriptor was closed. */
  static final int WAKE_MS = 250;

  private final int fd;
  private final Object lock = new Object();
  private int inFlight; // guarded by lock
  private boolean closed; // guarded by lock
  private volatile boolean closedFlag; // lock-free read for loops

  OwnedFd(int fd) {
    this.fd = fd;
  }

  int number() {
    return fd;
  }

  /** Starts a call: the descriptor, or EBADF (no syscall made) when already closed. Pair with {@link #release}. */
  int acquire(String syscall) {
    synchronized (lock) {
      if (closed) {
        throw new SysException(syscall, Errno.EBADF);
      }
      inFlight++;
      return fd;
    }
  }

  /** Like {@link #acquire} but answers false instead of throwing. */
  boolean tryAcquire() {
    synchronized (lock) {
      if (closed) {
        return false;
      }
      inFlight++;
      return true;
    }
  }

  void release() {
    synchronized (lock) {
      if (--inFlight == 0 && closed) {
        Native.closeQuietly(fd);
      }
    }
  }

  boolean isClosed() {
    return closedFlag;
  }

  /** Closes now, or when the last call in flight leaves. Idempotent. */
  void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      closedFlag = true;
      if (inFlight == 0) {
        Native.closeQuietly(fd);
      }
    }
  }

  /**
   * Waits (call held) up to {@link #WAKE_MS} for {@code events} on the descriptor; true when the wait
   * should go on because the descriptor is still open. The caller retries its syscall either way.
   */
  boolean awaitReady(short events) {
    short[] revents = new short[1];
    Poll.poll(new int[] {fd}, new short[] {events}, revents, WAKE_MS);
    return !closedFlag;
  }
}
