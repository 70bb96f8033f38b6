package dev.layertrace.netlink;

import java.nio.ByteBuffer;

/**
 * One netlink message: the nlmsghdr fields and its payload (the bytes after the header, read-only,
 * in host byte order as netlink uses).
 */
public record NetlinkMessage(int type, int flags, int seq, int pid, ByteBuffer payload) {
  public NetlinkMessage {
    payload = payload.asReadOnlyBuffer().order(payload.order());
  }

  public boolean multipart() {
    return (flags & Rtnl.NLM_F_MULTI) != 0;
  }

  /** The kernel marked the dump inconsistent (the table changed while it was dumped). */
  public boolean interrupted() {
    return (flags & Rtnl.NLM_F_DUMP_INTR) != 0;
  }
}
