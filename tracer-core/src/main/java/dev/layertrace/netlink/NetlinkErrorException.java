package dev.layertrace.netlink;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;

/**
 * The kernel answered a request with NLMSG_ERROR and a negative errno: e.g. ENETUNREACH for a route
 * query with no route, EPERM for a request the caller may not make.
 */
public final class NetlinkErrorException extends LayertraceException {
  private static final long serialVersionUID = 1L;
  private final int errno;
  private final int requestType;

  public NetlinkErrorException(int errno, int requestType) {
    super(errno == 1 || errno == 13 ? ExitCode.PRIVILEGE : ExitCode.INTERNAL,
        "rtnetlink " + Messages.typeName(requestType) + " failed: " + Errnos.name(errno)
            + " (" + Errnos.describe(errno) + ")");
    this.errno = errno;
    this.requestType = requestType;
  }

  /** The positive errno value, e.g. 101 for ENETUNREACH. */
  public int errno() {
    return errno;
  }

  public int requestType() {
    return requestType;
  }

  /** Short symbol, e.g. {@code ENETUNREACH}. */
  public String errnoName() {
    return Errnos.name(errno);
  }
}
