package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.netlink.NetlinkMessage;
import dev.layertrace.netlink.ReplyCollector;
import dev.layertrace.netlink.RtnetlinkParser;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An rtnetlink (NETLINK_ROUTE) socket opened inside one network namespace: sends a request, collects
 * every datagram of the reply. One request at a time (callers on several threads are serialised).
 * Open it on that namespace's {@link NetnsExecutor}; it keeps answering for that namespace after.
 */
public final class RtnetlinkClient implements AutoCloseable {
  private static final int REPLY_TIMEOUT_MS = 5_000;
  private final LinuxSocket socket;
  private final String netns;
  private final ReceiveBuffers buffers;
  private int seq = (int) (System.nanoTime() & 0x3fffffff);

  private RtnetlinkClient(LinuxSocket socket, String netns, ReceiveBuffers buffers) {
    this.socket = socket;
    this.netns = netns;
    this.buffers = buffers;
  }

  /** Opens the socket on the calling thread, i.e. in the calling thread's namespace. */
  public static RtnetlinkClient openHere(String netnsName) {
    return openHere(netnsName, new ReceiveBuffers());
  }

  /** As {@link #openHere(String)}, borrowing receive buffers from {@code buffers}. */
  static RtnetlinkClient openHere(String netnsName, ReceiveBuffers buffers) {
    LinuxSocket s = LinuxSocket.open(LinuxConstants.AF_NETLINK, LinuxConstants.SOCK_RAW, LinuxConstants.NETLINK_ROUTE);
    try {
      s.setsockoptInt(LinuxConstants.SOL_SOCKET, LinuxConstants.SO_RCVBUF, 1 << 20);
      s.bind(Sockaddrs.netlink(0, 0));
      return new RtnetlinkClient(s, netnsName, buffers);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
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
    ByteBuffer buf = buffers.take();
    try {
      List<byte[]> parts = new ArrayList<>(2);
      while (true) {
        // The kernel answers inside sendto (and queues a dump's next part inside the recv that takes the
        // previous one), so the reply is nearly always there already: poll only when it is not. On a
        // host of a thousand namespaces that is a few thousand system calls fewer.
        int n = socket.recv(buf, LinuxConstants.MSG_DONTWAIT | LinuxConstants.MSG_TRUNC);
        if (n < 0) {
          short ev = socket.poll(LinuxConstants.POLLIN, REPLY_TIMEOUT_MS);
          if (ev == 0) {
            throw new LayertraceException(ExitCode.INTERNAL, "no rtnetlink answer in " + netns + " within "
                + REPLY_TIMEOUT_MS + " ms");
          }
          continue;
        }
        if (n > buf.capacity()) { // MSG_TRUNC: the datagram's real length; the rest is lost
          throw new LayertraceException(ExitCode.INTERNAL, "an rtnetlink answer of " + n + " bytes in " + netns
              + " is larger than the " + buf.capacity() + "-byte receive buffer");
        }
        byte[] part = new byte[n];
        buf.get(0, part);
        parts.add(part);
        if (RtnetlinkParser.endsReply(part, 0, n, seq)) {
          return concat(parts);
        }
      }
    } finally {
      buffers.give(buf);
    }
  }

  private static byte[] concat(List<byte[]> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    int total = 0;
    for (byte[] p : parts) {
      total += p.length;
    }
    byte[] out = new byte[total];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** Sends a request and returns the parsed reply messages; a kernel error is thrown. */
  public List<NetlinkMessage> request(java.util.function.IntFunction<byte[]> encoder, int requestType) {
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
