package dev.layertrace.sys;

import static dev.layertrace.sys.LinuxConstants.AF_NETLINK;
import static dev.layertrace.sys.LinuxConstants.AF_PACKET;
import static dev.layertrace.sys.LinuxConstants.SOCK_RAW;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A socket file descriptor (netlink, AF_PACKET, raw or datagram IP). A socket belongs to the network
 * namespace of the thread that opened it and stays there: open it on a {@link NetnsExecutor}, then use
 * it from any thread. Always opened close-on-exec so that tools started by {@link Commands} do not
 * inherit it. It may be closed from another thread: a call blocked in it then fails with EBADF
 * within {@value OwnedFd#WAKE_MS} ms, and the descriptor is released only after that call left.
 * Blocking calls ignore SO_RCVTIMEO/SO_SNDTIMEO; use {@link #poll} for timeouts.
 */
public final class LinuxSocket implements AutoCloseable {
  private final OwnedFd fd;
  private final int domain;
  // The descriptor itself is always O_NONBLOCK; "blocking" calls wait in poll slices so that a close()
  // from another thread ends them instead of leaving them blocked on a descriptor about to be reused.
  private volatile boolean blocking = true;

  private LinuxSocket(int fd, int domain) {
    this.fd = new OwnedFd(fd);
    this.domain = domain;
  }

  /**
   * socket(2) in the calling thread's namespace. A raw or packet socket refused with EPERM/EACCES
   * becomes {@code missingPrivilege("CAP_NET_RAW", ...)}; other failures a {@link SysException}.
   */
  public static LinuxSocket open(int domain, int type, int protocol) {
    int fd = Native.LIBC.socket(domain, type | LinuxConstants.SOCK_CLOEXEC | LinuxConstants.SOCK_NONBLOCK, protocol);
    if (fd < 0) {
      SysException e = new SysException("socket", Native.errno());
      boolean needsRaw = domain == AF_PACKET || ((type & 0xF) == SOCK_RAW && domain != AF_NETLINK);
      if (e.isPermission() && needsRaw) {
        throw Native.missingPrivilege("CAP_NET_RAW", "to open a " + describe(domain, type) + " socket", e);
      }
      throw e;
    }
    return new LinuxSocket(fd, domain);
  }

  public int fd() {
    return fd.number();
  }

  /** The address family the socket was opened with. */
  public int domain() {
    return domain;
  }

  public void bind(byte[] sockaddr) {
    int n = fd.acquire("bind");
    try {
      Native.check("bind", Native.LIBC.bind(n, sockaddr, sockaddr.length));
    } finally {
      fd.release();
    }
  }

  /**
   * sendto(2) of {@code buf[off, off+len)} to {@code sockaddrOrNull} (null: the connected or bound
   * peer, e.g. the kernel for netlink). Returns the bytes sent, or -1 when a non-blocking socket
   * would block (EAGAIN). EINTR is retried.
   */
  public int sendTo(byte[] buf, int off, int len, int flags, byte[] sockaddrOrNull) {
    byte[] data = slice(buf, off, len);
    int addrLen = sockaddrOrNull == null ? 0 : sockaddrOrNull.length;
    int n = fd.acquire("sendto");
    try {
      while (true) {
        long rc = Native.LIBC.sendto(n, data, len, flags, sockaddrOrNull, addrLen);
        if (rc >= 0) {
          return (int) rc;
        }
        int errno = Native.errno();
        if (errno == Errno.EAGAIN) {
          if (!waits(flags)) {
            return -1;
          }
          awaitOrFail(LinuxConstants.POLLOUT, "sendto");
        } else if (errno != Errno.EINTR) {
          throw new SysException("sendto", errno);
        }
      }
    } finally {
      fd.release();
    }
  }

  /**
   * recv(2) into {@code buf[off, off+len)}. Returns the byte count (with MSG_TRUNC the real datagram
   * length), or -1 when nothing is ready on a non-blocking call (EAGAIN/EWOULDBLOCK). EINTR is retried.
   */
  public int recv(byte[] buf, int off, int len, int flags) {
    checkRange(buf, off, len);
    byte[] target = direct(buf, off, len);
    int n = fd.acquire("recv");
    try {
      while (true) {
        long rc = Native.LIBC.recv(n, target, len, flags);
        if (rc >= 0) {
          copyBack(target, buf, off, (int) Math.min(rc, len));
          return (int) rc;
        }
        int errno = Native.errno();
        if (errno == Errno.EAGAIN) {
          if (!waits(flags)) {
            return -1;
          }
          awaitOrFail(LinuxConstants.POLLIN, "recv");
        } else if (errno != Errno.EINTR) {
          throw new SysException("recv", errno);
        }
      }
    } finally {
      fd.release();
    }
  }

  /**
   * recv(2) into the direct buffer {@code buf}, from 0 up to its capacity; as {@link #recv(byte[], int,
   * int, int)} otherwise (the count, or -1 on EAGAIN when not waiting). Only the bytes received are
   * touched: a Java array would be copied back whole.
   */
  public int recv(ByteBuffer buf, int flags) {
    if (!buf.isDirect()) {
      throw new IllegalArgumentException("recv into a heap buffer: use recv(byte[], …)");
    }
    int n = fd.acquire("recv");
    try {
      while (true) {
        long rc = Native.LIBC.recv(n, buf, buf.capacity(), flags);
        if (rc >= 0) {
          return (int) rc;
        }
        int errno = Native.errno();
        if (errno == Errno.EAGAIN) {
          if (!waits(flags)) {
            return -1;
          }
          awaitOrFail(LinuxConstants.POLLIN, "recv");
        } else if (errno != Errno.EINTR) {
          throw new SysException("recv", errno);
        }
      }
    } finally {
      fd.release();
    }
  }

  /** recvfrom(2): like {@link #recv}, plus the sender's sockaddr; null on EAGAIN. */
  public RecvResult recvFrom(byte[] buf, int off, int len, int flags) {
    checkRange(buf, off, len);
    byte[] target = direct(buf, off, len);
    byte[] addr = new byte[Sockaddrs.STORAGE_SIZE];
    int[] addrLen = {addr.length};
    int n = fd.acquire("recvfrom");
    try {
      while (true) {
        long rc = Native.LIBC.recvfrom(n, target, len, flags, addr, addrLen);
        if (rc >= 0) {
          copyBack(target, buf, off, (int) Math.min(rc, len));
          return new RecvResult((int) rc, Arrays.copyOf(addr, Math.min(addrLen[0], addr.length)));
        }
        int errno = Native.errno();
        if (errno == Errno.EAGAIN) {
          if (!waits(flags)) {
            return null;
          }
          awaitOrFail(LinuxConstants.POLLIN, "recvfrom");
        } else if (errno != Errno.EINTR) {
          throw new SysException("recvfrom", errno);
        }
        addrLen[0] = addr.length;
      }
    } finally {
      fd.release();
    }
  }

  public void setsockopt(int level, int name, byte[] value) {
    int n = fd.acquire("setsockopt");
    try {
      Native.check("setsockopt", Native.LIBC.setsockopt(n, level, name, value, value.length));
    } finally {
      fd.release();
    }
  }

  /** setsockopt(2) with an {@code int} value. */
  public void setsockoptInt(int level, int name, int value) {
    setsockopt(level, name, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
  }

  /** getsockopt(2) of an {@code int} option. */
  public int getsockoptInt(int level, int name) {
    byte[] value = new byte[4];
    int[] len = {4};
    int n = fd.acquire("getsockopt");
    try {
      Native.check("getsockopt", Native.LIBC.getsockopt(n, level, name, value, len));
    } finally {
      fd.release();
    }
    return ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  /** getsockname(2): the address the socket is bound to (for netlink: the port id the kernel gave it). */
  public byte[] getsockname() {
    byte[] addr = new byte[Sockaddrs.STORAGE_SIZE];
    int[] len = {addr.length};
    int n = fd.acquire("getsockname");
    try {
      Native.check("getsockname", Native.LIBC.getsockname(n, addr, len));
    } finally {
      fd.release();
    }
    return Arrays.copyOf(addr, Math.min(len[0], addr.length));
  }

  /**
   * Attaches a classic BPF program (SO_ATTACH_FILTER): instruction {@code i} is
   * {@code {code[i], jt[i], jf[i], k[i]}} as in {@code struct sock_filter}.
   */
  public void attachFilter(short[] code, byte[] jt, byte[] jf, int[] k) {
    int n = code.length;
    if (n == 0 || jt.length != n || jf.length != n || k.length != n || n > 0xFFFF) {
      throw new IllegalArgumentException("a BPF program needs 1..65535 instructions of equal-length parts");
    }
    // struct sock_filter[n] lives in native memory; struct sock_fprog { u16 len; (pad); sock_filter *filter; }
    Pointer program = Memory.allocateDirect(Native.RUNTIME, n * 8L);
    for (int i = 0; i < n; i++) {
      program.putShort(i * 8L, code[i]);
      program.putByte(i * 8L + 2, jt[i]);
      program.putByte(i * 8L + 3, jf[i]);
      program.putInt(i * 8L + 4, k[i]);
    }
    byte[] fprog = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
        .putShort(0, (short) n).putLong(8, program.address()).array();
    setsockopt(LinuxConstants.SOL_SOCKET, LinuxConstants.SO_ATTACH_FILTER, fprog);
    // The kernel copied the program; keep the native memory reachable until here.
    java.lang.ref.Reference.reachabilityFence(program);
  }

  /** Waits for {@code events} on this socket; returns the revents, 0 on timeout (negative: wait forever). */
  public short poll(short events, int timeoutMs) {
    short[] revents = new short[1];
    int n = fd.acquire("poll");
    try {
      Poll.poll(new int[] {n}, new short[] {events}, revents, timeoutMs);
    } finally {
      fd.release();
    }
    return revents[0];
  }

  /** ioctl(2) with a buffer the kernel reads and may write back (e.g. a struct ifreq). Returns its result. */
  public int ioctl(long request, byte[] arg) {
    int n = fd.acquire("ioctl");
    try {
      return Native.check("ioctl", Native.LIBC.ioctl(n, request, arg));
    } finally {
      fd.release();
    }
  }

  /**
   * Non-blocking mode: recv/sendTo return -1 and recvFrom null instead of waiting (as with
   * MSG_DONTWAIT). Blocking (the default) waits until data or room is there, or the socket is closed.
   */
  public void setNonBlocking(boolean nonBlocking) {
    this.blocking = !nonBlocking;
  }

  public boolean isClosed() {
    return fd.isClosed();
  }

  /** Closes the descriptor once (when no call is in flight any more); later calls do nothing. */
  @Override
  public void close() {
    fd.close();
  }

  @Override
  public String toString() {
    return "LinuxSocket[fd=" + fd.number() + ", domain=" + domain + (fd.isClosed() ? ", closed" : "") + "]";
  }

  private boolean waits(int flags) {
    return blocking && (flags & LinuxConstants.MSG_DONTWAIT) == 0;
  }

  private void awaitOrFail(short events, String syscall) {
    if (!fd.awaitReady(events)) {
      throw new SysException(syscall, Errno.EBADF);
    }
  }

  private static byte[] slice(byte[] buf, int off, int len) {
    checkRange(buf, off, len);
    return off == 0 ? buf : Arrays.copyOfRange(buf, off, off + len);
  }

  private static void checkRange(byte[] buf, int off, int len) {
    if (off < 0 || len < 0 || off + len > buf.length) {
      throw new IndexOutOfBoundsException("off " + off + " len " + len + " buffer " + buf.length);
    }
  }

  /**
   * The array the kernel may write into: {@code buf} itself only when the whole of it is the target,
   * because jnr copies the full array back and would clobber bytes outside {@code [off, off+len)}.
   */
  private static byte[] direct(byte[] buf, int off, int len) {
    return off == 0 && len == buf.length ? buf : new byte[len];
  }

  private static void copyBack(byte[] from, byte[] to, int off, int n) {
    if (from != to) {
      System.arraycopy(from, 0, to, off, n);
    }
  }

  private static String describe(int domain, int type) {
    return switch (domain) {
      case AF_PACKET -> "packet (AF_PACKET)";
      case LinuxConstants.AF_INET -> "raw IPv4";
      case LinuxConstants.AF_INET6 -> "raw IPv6";
      default -> "raw (family " + domain + ")";
    };
  }
}
