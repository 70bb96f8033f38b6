package dev.layertrace.sys;

import java.util.ArrayList;
import java.util.List;

/**
 * An AF_PACKET socket bound to one interface, opened in that interface's namespace, with a classic
 * BPF filter attached before it is bound, so that not one foreign frame is ever queued to it. Sees
 * frames in both directions; {@link Frame#outgoing()} tells which (sll_pkttype PACKET_OUTGOING).
 */
public final class PacketObserver implements AutoCloseable {
  private static final int RCVBUF = 1 << 20;
  /**
   * SIOCGSTAMPNS (linux/sockios.h): the struct timespec (CLOCK_REALTIME) of the last frame read. The
   * first call also turns on SOCK_TIMESTAMP, which makes every later recv record its frame's stamp
   * (SO_TIMESTAMPNS would not: it delivers stamps only as control messages, which recvfrom drops).
   */
  private static final long SIOCGSTAMPNS = 0x8907L;
  private final LinuxSocket socket;
  private final String layerId;
  private final String netns;
  private final String iface;

  /**
   * One received frame: the bytes (the first {@code length} of {@code data}), direction, and when the
   * kernel saw it ({@code System.nanoTime()} clock; the kernel's stamp, so a busy reader thread does not
   * shift it; the read time when the kernel gave none).
   */
  public record Frame(PacketObserver observer, byte[] data, int length, boolean outgoing, long readAtNs) {}

  private PacketObserver(LinuxSocket socket, String layerId, String netns, String iface) {
    this.socket = socket;
    this.layerId = layerId;
    this.netns = netns;
    this.iface = iface;
  }

  /**
   * Opens the observer for {@code iface} in {@code ns}: socket with protocol 0 (receives nothing),
   * attach the filter, then bind to the interface for all protocols.
   */
  public static PacketObserver open(NetnsExecutor ns, String iface, String layerId, short[] code, byte[] jt,
      byte[] jf, int[] k) {
    return ns.call(() -> {
      int ifindex = Interfaces.index(iface);
      LinuxSocket s = LinuxSocket.open(LinuxConstants.AF_PACKET, LinuxConstants.SOCK_RAW, 0);
      try {
        s.attachFilter(code, jt, jf, k);
        try {
          s.setsockoptInt(LinuxConstants.SOL_SOCKET, LinuxConstants.SO_RCVBUFFORCE, RCVBUF);
        } catch (SysException e) {
          s.setsockoptInt(LinuxConstants.SOL_SOCKET, LinuxConstants.SO_RCVBUF, RCVBUF);
        }
        try {
          s.ioctl(SIOCGSTAMPNS, new byte[16]); // ENOENT (nothing read yet), but stamping is now on
        } catch (SysException e) {
          // without kernel stamps the read time stands in
        }
        s.bind(Sockaddrs.packet(LinuxConstants.ETH_P_ALL, ifindex));
        s.setNonBlocking(true);
        return new PacketObserver(s, layerId, ns.netns().name(), iface);
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
    });
  }

  public String layerId() {
    return layerId;
  }

  public String netns() {
    return netns;
  }

  public String iface() {
    return iface;
  }

  /** Reads every frame queued on this socket now (non-blocking). */
  public List<Frame> drain() {
    List<Frame> out = new ArrayList<>();
    byte[] buf = new byte[65536];
    while (true) {
      RecvResult r = socket.recvFrom(buf, 0, buf.length, 0);
      if (r == null) {
        return out;
      }
      long now = kernelStamp().orElse(System.nanoTime());
      int len = Math.min(r.length(), buf.length);
      boolean outgoing = Sockaddrs.packetType(r.source()) == LinuxConstants.PACKET_OUTGOING;
      out.add(new Frame(this, java.util.Arrays.copyOf(buf, len), len, outgoing, now));
    }
  }

  /** The kernel's stamp of the frame just read, moved from CLOCK_REALTIME to the nanoTime clock. */
  private java.util.OptionalLong kernelStamp() {
    byte[] ts = new byte[16];
    try {
      socket.ioctl(SIOCGSTAMPNS, ts);
    } catch (SysException e) {
      return java.util.OptionalLong.empty();
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(ts).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long real = b.getLong(0) * 1_000_000_000L + b.getLong(8);
    java.time.Instant now = java.time.Instant.now();
    long mono = System.nanoTime();
    long realNow = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    long stamp = mono - (realNow - real);
    // A stamp from the future or older than a minute is not this frame's: fall back to the read time.
    return stamp > mono || mono - stamp > 60_000_000_000L ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of(stamp);
  }

  /**
   * Waits up to {@code timeoutMs} until any of {@code observers} has frames, then reads all that are
   * queued. Returns an empty list on timeout.
   */
  public static List<Frame> poll(List<PacketObserver> observers, int timeoutMs) {
    int n = observers.size();
    int[] fds = new int[n];
    short[] events = new short[n];
    short[] revents = new short[n];
    for (int i = 0; i < n; i++) {
      fds[i] = observers.get(i).socket.fd();
      events[i] = LinuxConstants.POLLIN;
    }
    List<Frame> out = new ArrayList<>();
    if (Poll.poll(fds, events, revents, timeoutMs) > 0) {
      for (int i = 0; i < n; i++) {
        if ((revents[i] & LinuxConstants.POLLIN) != 0) {
          out.addAll(observers.get(i).drain());
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    socket.close();
  }

  @Override
  public String toString() {
    return "PacketObserver[" + netns + "/" + iface + "]";
  }
}
