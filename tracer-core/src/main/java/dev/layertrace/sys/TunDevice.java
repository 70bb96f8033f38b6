package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A tap device's file descriptor ({@code /dev/net/tun}, IFF_TAP | IFF_NO_PI): what a VMM's virtio-net
 * backend holds. Reading gives the Ethernet frames the kernel sends out of the tap; writing injects
 * frames the kernel receives on it. Opened with a virtio-net header ({@link #openTap(String, boolean)}),
 * as Firecracker and QEMU do, every read and write carries a 10-byte {@code struct virtio_net_hdr}
 * before the frame and the tap offers checksum and TSO offloads, so the kernel hands over unsegmented
 * GSO packets of up to 64 KiB instead of MTU-sized frames. Opened in the calling thread's network
 * namespace (use a {@link NetnsExecutor}); the descriptor can then be used from any thread, one
 * reader and one writer at a time. {@link #close()} may come from another thread: a blocked read then
 * returns -1 within {@value OwnedFd#WAKE_MS} ms.
 */
public final class TunDevice implements AutoCloseable {
  /**
   * Largest packet a read or write carries: a 64 KiB GSO packet (the tap's default gso_max_size) plus
   * its Ethernet/VLAN header and the virtio-net header; without offloads 64 KiB covers any MTU.
   */
  public static final int MAX_PACKET = 65_536 + 128;
  /** What the relay asks for: checksums left to the receiver, TCP segmentation for IPv4/IPv6, UFO. */
  private static final int OFFLOADS = LinuxConstants.TUN_F_CSUM | LinuxConstants.TUN_F_TSO4
      | LinuxConstants.TUN_F_TSO6 | LinuxConstants.TUN_F_TSO_ECN | LinuxConstants.TUN_F_UFO;
  private static final String TUN_PATH = "/dev/net/tun";

  private final OwnedFd fd;
  private final String name;
  private final int vnetHeaderSize;
  // The descriptor itself is always O_NONBLOCK; a "blocking" read waits in poll slices so that close()
  // from another thread ends it (a tap read is not woken by close(2)).
  private volatile boolean blocking = true;
  // Native staging buffers: only the frame's bytes are copied across JNI, whatever the array size.
  private final Pointer readBuffer = Memory.allocateDirect(Native.RUNTIME, MAX_PACKET);
  private final Pointer writeBuffer = Memory.allocateDirect(Native.RUNTIME, MAX_PACKET);
  private final Object readLock = new Object();
  private final Object writeLock = new Object();

  private TunDevice(int fd, String name, int vnetHeaderSize) {
    this.fd = new OwnedFd(fd);
    this.name = name;
    this.vnetHeaderSize = vnetHeaderSize;
  }

  /**
   * Opens tap {@code ifname} in the calling thread's namespace, creating it if absent (CAP_NET_ADMIN).
   * The device is non-persistent unless {@link #setPersistent} says otherwise: a tap this call created
   * disappears when the descriptor is closed. Reads and writes carry bare Ethernet frames.
   */
  public static TunDevice openTap(String ifname) {
    return openTap(ifname, false);
  }

  /**
   * Like {@link #openTap(String)}; with {@code vnetHeader} the descriptor is IFF_VNET_HDR with a
   * 10-byte header and offloads on (TUNSETOFFLOAD CSUM, TSO4,
   * TSO6, TSO_ECN, UFO): each read returns header + frame, possibly a GSO packet of up to 64 KiB, and
   * each write must start with a header too. Two such taps can pass packets to each other verbatim.
   */
  public static TunDevice openTap(String ifname, boolean vnetHeader) {
    byte[] nameBytes = ifname == null ? new byte[0] : ifname.getBytes(StandardCharsets.US_ASCII);
    if (nameBytes.length == 0 || nameBytes.length >= LinuxConstants.IFNAMSIZ) {
      throw LayertraceException.usage("'" + ifname + "' is not a valid interface name (1 to 15 characters)");
    }
    int fd = Native.LIBC.open(TUN_PATH, LinuxConstants.O_RDWR | LinuxConstants.O_CLOEXEC | LinuxConstants.O_NONBLOCK);
    if (fd < 0) {
      SysException e = new SysException("open " + TUN_PATH, Native.errno());
      if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENODEV || e.errno() == Errno.ENXIO) {
        throw new LayertraceException(ExitCode.PRIVILEGE, "no " + TUN_PATH + " (" + e.errnoName()
            + "): load the tun module (modprobe tun) or create the device node"
            + " (mkdir -p /dev/net && mknod /dev/net/tun c 10 200)", e);
      }
      if (e.isPermission()) {
        throw Native.missingPrivilege("CAP_NET_ADMIN", "to open " + TUN_PATH, e);
      }
      throw e;
    }
    try {
      byte[] ifreq = new byte[LinuxConstants.IFREQ_SIZE];
      System.arraycopy(nameBytes, 0, ifreq, 0, nameBytes.length);
      ByteBuffer.wrap(ifreq).order(ByteOrder.LITTLE_ENDIAN)
          .putShort(LinuxConstants.IFNAMSIZ, (short) (LinuxConstants.IFF_TAP | LinuxConstants.IFF_NO_PI
              | (vnetHeader ? LinuxConstants.IFF_VNET_HDR : 0)));
      if (Native.LIBC.ioctl(fd, LinuxConstants.TUNSETIFF, ifreq) < 0) {
        throw setIffError(ifname, new SysException("ioctl TUNSETIFF", Native.errno()));
      }
      if (vnetHeader) {
        enableOffloads(fd, ifname);
      }
      return new TunDevice(fd, nameOf(ifreq), vnetHeader ? LinuxConstants.VIRTIO_NET_HDR_SIZE : 0);
    } catch (RuntimeException e) {
      Native.closeQuietly(fd);
      throw e;
    }
  }

  private static void enableOffloads(int fd, String ifname) {
    // The header size is per device and survives on a persistent tap: set it, so that both ends of a
    // relay agree on it whoever opened the tap before.
    byte[] size = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder())
        .putInt(LinuxConstants.VIRTIO_NET_HDR_SIZE).array();
    Native.check("ioctl TUNSETVNETHDRSZ", Native.LIBC.ioctl(fd, LinuxConstants.TUNSETVNETHDRSZ, size));
    if (Native.LIBC.ioctl(fd, LinuxConstants.TUNSETOFFLOAD, OFFLOADS) < 0) {
      SysException e = new SysException("ioctl TUNSETOFFLOAD", Native.errno());
      if (e.errno() == Errno.EINVAL) {
        throw LayertraceException.missingFeature("tap " + ifname + ": the kernel refuses tun offloads"
            + " (TUNSETOFFLOAD CSUM|TSO4|TSO6|TSO_ECN|UFO)");
      }
      throw e;
    }
  }

  private static RuntimeException setIffError(String ifname, SysException e) {
    return switch (e.errno()) {
      case Errno.EPERM, Errno.EACCES -> Native.missingPrivilege("CAP_NET_ADMIN", "to create or attach tap " + ifname, e);
      case Errno.EBUSY -> new LayertraceException(ExitCode.USAGE,
          "tap " + ifname + " is already attached to another descriptor (is another relay or VMM running?)", e);
      case Errno.EINVAL -> new LayertraceException(ExitCode.USAGE,
          "interface " + ifname + " exists and is not a tap device", e);
      default -> e;
    };
  }

  private static String nameOf(byte[] ifreq) {
    int n = 0;
    while (n < LinuxConstants.IFNAMSIZ && ifreq[n] != 0) {
      n++;
    }
    return new String(ifreq, 0, n, StandardCharsets.US_ASCII);
  }

  /** The interface name the kernel gave the tap. */
  public String name() {
    return name;
  }

  public int fd() {
    return fd.number();
  }

  /** Bytes of virtio-net header before each frame read or written: 10, or 0 without IFF_VNET_HDR. */
  public int vnetHeaderSize() {
    return vnetHeaderSize;
  }

  /**
   * Reads one Ethernet frame into {@code buf} (truncated to its length) and returns the frame's length,
   * which includes the virtio-net header in front when the tap has one ({@link #vnetHeaderSize()}).
   * Waits for a frame unless non-blocking, where it returns 0 when none is waiting. Returns -1 once this
   * device is closed or the tap is gone (EBADFD; EFAULT when the tap was deleted under a waiting
   * read). EINTR is retried.
   */
  public int read(byte[] buf) {
    synchronized (readLock) {
      if (!fd.tryAcquire()) {
        return -1;
      }
      try {
        while (true) {
          long rc = Native.LIBC.read(fd.number(), readBuffer, Math.min(buf.length, MAX_PACKET));
          if (rc >= 0) {
            readBuffer.get(0, buf, 0, (int) rc);
            return (int) rc;
          }
          int errno = Native.errno();
          switch (errno) {
            case Errno.EINTR:
              continue;
            case Errno.EAGAIN:
              if (!blocking) {
                return 0;
              }
              if (!fd.awaitReady(LinuxConstants.POLLIN)) {
                return -1;
              }
              continue;
            case Errno.EBADF:
            case Errno.EBADFD:
            case Errno.EFAULT: // our buffer is native and valid: the kernel says the tap was detached
              return -1;
            default:
              throw new SysException("read " + name, errno);
          }
        }
      } finally {
        fd.release();
      }
    }
  }

  /**
   * Writes one Ethernet frame ({@code buf[0, len)}, starting with the virtio-net header when the tap has
   * one): the kernel receives it on the tap. Returns {@code len}, 0 when non-blocking and the tap's
   * queue is full, or -1 when the frame was not taken because the tap is down (EIO), gone (EBADFD) or
   * this device is closed.
   */
  public int write(byte[] buf, int len) {
    if (len < 0 || len > buf.length || len > MAX_PACKET) {
      throw new IndexOutOfBoundsException("len " + len + " buffer " + buf.length);
    }
    synchronized (writeLock) {
      if (!fd.tryAcquire()) {
        return -1;
      }
      try {
        writeBuffer.put(0, buf, 0, len);
        while (true) {
          long rc = Native.LIBC.write(fd.number(), writeBuffer, len);
          if (rc >= 0) {
            return (int) rc;
          }
          int errno = Native.errno();
          switch (errno) {
            case Errno.EINTR:
              continue;
            case Errno.EAGAIN:
              if (!blocking) {
                return 0;
              }
              if (!fd.awaitReady(LinuxConstants.POLLOUT)) {
                return -1;
              }
              continue;
            case Errno.EIO:
            case Errno.EBADF:
            case Errno.EBADFD:
              return -1;
            default:
              throw new SysException("write " + name, errno);
          }
        }
      } finally {
        fd.release();
      }
    }
  }

  /** TUNSETPERSIST: a persistent tap outlives this descriptor (until {@code ip link del}). */
  public void setPersistent(boolean persist) {
    int n = fd.acquire("ioctl TUNSETPERSIST");
    try {
      Native.check("ioctl TUNSETPERSIST", Native.LIBC.ioctl(n, LinuxConstants.TUNSETPERSIST, persist ? 1L : 0L));
    } finally {
      fd.release();
    }
  }

  /** Non-blocking mode (for poll-driven relays): read returns 0 instead of waiting for a frame. */
  public void setNonBlocking(boolean nonBlocking) {
    this.blocking = !nonBlocking;
  }

  /** Waits for {@code events} on the descriptor; returns the revents, 0 on timeout (negative: forever). */
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

  public boolean isClosed() {
    return fd.isClosed();
  }

  /**
   * Closes the descriptor once (when no read or write is in flight any more); the kernel then deletes
   * a non-persistent tap.
   */
  @Override
  public void close() {
    fd.close();
  }

  @Override
  public String toString() {
    return "TunDevice[" + name + ", fd=" + fd.number() + (fd.isClosed() ? ", closed" : "") + "]";
  }
}
