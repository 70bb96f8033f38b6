package dev.layertrace.netlink;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;

/** The kernel's reply (or a recorded dump) is not well-formed rtnetlink; the message says where. */
public final class NetlinkParseException extends LayertraceException {
  private static final long serialVersionUID = 1L;

  public NetlinkParseException(String message) {
    super(ExitCode.INTERNAL, "malformed rtnetlink data: " + message);
  }
}
