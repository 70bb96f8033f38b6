package dev.layertrace.sys;

import dev.layertrace.LayertraceException;

/** Interface lookups in the calling thread's network namespace (call them on a {@link NetnsExecutor}). */
public final class Interfaces {
  private Interfaces() {}

  /** The ifindex of {@code name} in the calling thread's namespace; a usage error when there is none. */
  public static int index(String name) {
    int index = Native.LIBC.if_nametoindex(name);
    if (index == 0) {
      int errno = Native.errno();
      if (errno == Errno.ENODEV || errno == Errno.ENXIO || errno == 0) {
        throw LayertraceException.usage("no interface '" + name + "' in this network namespace");
      }
      throw new SysException("if_nametoindex", errno);
    }
    return index;
  }
}
