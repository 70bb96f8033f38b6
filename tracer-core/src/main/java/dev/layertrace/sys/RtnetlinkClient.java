package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.netlink.NetlinkMessage;
import dev.layertrace.netlink.ReplyCollector;
import dev.layertrace.netlink.RtnetlinkParser;
import dev.layertrace.netlink.Rtnl;
import java.io.ByteArrayOutputStream;

/**
 * An rtnetlink (NETLINK_ROUTE) socket opened inside one network namespace: sends a request, collects
 * every datagram of the reply. One request at a time (callers on several threads are serialised).
 * Open it on that namespace's {@link NetnsExecutor}; it keeps answering for that namespace after.
 */
public final class RtnetlinkClient implements AutoCloseable {
  private static final int REPLY_TIMEOUT_MS = 5_000;
  private final LinuxSocket socket;
  private final String netns;
  private final byte[] buf = new byte[64 * 1024];
  private int seq = (int) (System.nanoTime() & 0x3fffffff);

  private RtnetlinkClient(LinuxSocket socket, String netns) {
    this.socket = socket;
    this.netns = netns;
  }

  /** Opens the socket on the calling thread, i.e. in the calling thread's namespace. */
  public static RtnetlinkClient openHere(String netnsName) {
    LinuxSocket s = LinuxSocket.open(LinuxConstants.AF_NETLINK, LinuxConstants.SOCK_RAW, LinuxConstants.NETLINK_ROUTE);
    try {
      s.setsockoptInt(LinuxConstants.SOL_SOCKET, LinuxConstants.SO_RCVBUF, 1 << 20);
      s.bind(Sockaddrs.netlink(0, 0));
      return new RtnetlinkClient(s, netnsName);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** Opens the socket inside {@code ns} through its namespace thread. */
  public static RtnetlinkClient open(NetnsExecutor ns) {
    return ns.call(() -> openHere(ns.netns().name()));
  }

  /** The next sequence number; put it in the request passed to {@link #exchange}. */
  public synchronized int nextSeq() {
    return ++seq;
  }

  /**
   * Sends {@code request} (whose header carries {@code seq}) and returns every datagram of the reply
   * concatenated, as the kernel sent them (an NLMSG_ERROR answer included, not thrown).
   */
  public synchronized byte[] exchange(byte[] request, int seq) {
    socket.sendTo(request, 0, request.length, 0, Sockaddrs.netlink(0, 0));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      // The kernel answers inside sendto (and queues a dump's next part inside the recv that takes the
      // previous one), so the reply is nearly always there already: poll only when it is not. On a
      // host of a thousand namespaces that is a few thousand system calls fewer.
      int n = socket.recv(buf, 0, buf.length, LinuxConstants.MSG_DONTWAIT);
      if (n < 0) {
        short ev = socket.poll(LinuxConstants.POLLIN, REPLY_TIMEOUT_MS);
        if (ev == 0) {
          throw new LayertraceException(ExitCode.INTERNAL, "no rtnetlink answer in " + netns + " within "
              + REPLY_TIMEOUT_MS + " ms");
        }
        continue;
      }
      boolean done = false;
      for (NetlinkMessage m : RtnetlinkParser.split(buf, 0, n)) {
        if (m.seq() == seq) {
          done |= m.type() == Rtnl.NLMSG_DONE || m.type() == Rtnl.NLMSG_ERROR || !m.multipart();
        }
      }
      out.write(buf, 0, n);
      if (done) {
        return out.toByteArray();
      }
    }
  }

  /** Sends a request and returns the parsed reply messages; a kernel error is thrown. */
  public java.util.List<NetlinkMessage> request(java.util.function.IntFunction<byte[]> encoder, int requestType) {
    int s = nextSeq();
    byte[] reply = exchange(encoder.apply(s), s);
    ReplyCollector c = new ReplyCollector(requestType, s);
    c.feed(reply, reply.length);
    return c.messages();
  }

  public String netns() {
    return netns;
  }

  @Override
  public void close() {
    socket.close();
  }
}
