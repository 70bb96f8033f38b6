package dev.layertrace.sys;

import java.net.Inet4Address;

/**
 * A raw IPv4 socket with IP_HDRINCL, opened inside the source namespace, that sends probe packets
 * exactly as built. The socket stays in that namespace after the opening thread leaves it, so
 * sending needs no namespace switch. A failed send (no route, too big with DF) is a result, not an
 * exception: it is what the verdict starts from.
 */
public final class ProbeInjector implements AutoCloseable {
  private final LinuxSocket socket;
  private final String netns;

  /** What {@code sendto(2)} did: the monotonic time just before it, and the errno symbol if it failed. */
  public record SendAttempt(long sentAtNs, String errno, String message) {
    public boolean sent() {
      return errno == null;
    }
  }

  private ProbeInjector(LinuxSocket socket, String netns) {
    this.socket = socket;
    this.netns = netns;
  }

  /** Opens the raw socket on {@code ns}'s thread (CAP_NET_RAW needed). */
  public static ProbeInjector open(NetnsExecutor ns) {
    LinuxSocket s = ns.call(() -> LinuxSocket.open(LinuxConstants.AF_INET, LinuxConstants.SOCK_RAW,
        LinuxConstants.IPPROTO_RAW));
    try {
      s.setsockoptInt(LinuxConstants.SOL_IP, LinuxConstants.IP_HDRINCL, 1);
      return new ProbeInjector(s, ns.netns().name());
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** Sends one IPv4 packet (header included) to {@code dst}. */
  public SendAttempt send(byte[] packet, Inet4Address dst) {
    long t = System.nanoTime();
    try {
      int n = socket.sendTo(packet, 0, packet.length, 0, Sockaddrs.inet(dst, 0));
      if (n < 0) {
        return new SendAttempt(t, "EAGAIN", "the socket buffer is full");
      }
      return new SendAttempt(t, null, null);
    } catch (SysException e) {
      return new SendAttempt(t, e.errnoName(), Errno.message(e.errno()));
    }
  }

  public String netns() {
    return netns;
  }

  @Override
  public void close() {
    socket.close();
  }
}
