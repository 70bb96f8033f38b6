package dev.layertrace.netlink;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the messages that answer one request across as many datagrams as the kernel sends: a dump
 * ends with NLMSG_DONE, a single answer with its one message, an error with NLMSG_ERROR. Used by one
 * thread for one request.
 */
public final class ReplyCollector {
  private final int requestType;
  private final int seq;
  private final List<NetlinkMessage> messages = new ArrayList<>();
  private boolean done;
  private boolean interrupted;

  public ReplyCollector(int requestType, int seq) {
    this.requestType = requestType;
    this.seq = seq;
  }

  /**
   * Feeds one received datagram; returns true once the reply is complete.
   *
   * @throws NetlinkErrorException if the kernel answered with an error
   * @throws NetlinkParseException if the bytes are malformed
   */
  public boolean feed(byte[] buf, int len) {
    for (NetlinkMessage m : RtnetlinkParser.split(buf, 0, len)) {
      if (m.seq() != seq || done) {
        continue; // a late answer to an earlier request on this socket
      }
      interrupted |= m.interrupted();
      switch (m.type()) {
        case Rtnl.NLMSG_DONE -> done = true;
        case Rtnl.NLMSG_ERROR -> {
          int errno = RtnetlinkParser.errno(m);
          if (errno != 0) {
            throw new NetlinkErrorException(errno, requestType);
          }
          done = true;
        }
        case Rtnl.NLMSG_NOOP -> { }
        case Rtnl.NLMSG_OVERRUN -> throw new NetlinkParseException("netlink overrun: the kernel dropped data");
        default -> {
          messages.add(m);
          if (!m.multipart()) {
            done = true;
          }
        }
      }
    }
    return done;
  }

  public boolean done() {
    return done;
  }

  /** The kernel flagged the dump as changed while it was read (NLM_F_DUMP_INTR): repeat it. */
  public boolean interrupted() {
    return interrupted;
  }

  public List<NetlinkMessage> messages() {
    return List.copyOf(messages);
  }

  /** Parses a complete recorded reply (all datagrams concatenated). */
  public static List<NetlinkMessage> ofRecorded(byte[] data, int requestType) {
    int seq = 0;
    List<NetlinkMessage> all = RtnetlinkParser.split(data, 0, data.length);
    if (!all.isEmpty()) {
      seq = all.get(0).seq();
    }
    ReplyCollector c = new ReplyCollector(requestType, seq);
    c.feed(data, data.length);
    if (!c.done()) {
      throw new NetlinkParseException("recorded " + Messages.typeName(requestType) + " reply ends before NLMSG_DONE");
    }
    return c.messages();
  }
}
