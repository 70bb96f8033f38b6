package dev.layertrace.sys;

/**
 * A system call failed. The message names the call and the errno, e.g.
 * {@code setns: EPERM (Operation not permitted)}. Callers that can tell the user what to do turn the
 * common cases (missing privilege, missing feature) into a {@link dev.layertrace.LayertraceException}.
 */
public final class SysException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String syscall;
  private final int errno;

  /** {@code errno} as the positive number the kernel or libc reported. */
  public SysException(String syscall, int errno) {
    super(syscall + ": " + Errno.name(errno) + " (" + Errno.message(errno) + ")");
    this.syscall = syscall;
    this.errno = errno;
  }

  /** The failed call, e.g. {@code "setns"}; may name the object too, as in {@code "open /dev/net/tun"}. */
  public String syscall() {
    return syscall;
  }

  public int errno() {
    return errno;
  }

  /** The errno symbol, e.g. {@code "EPERM"}. */
  public String errnoName() {
    return Errno.name(errno);
  }

  /** EPERM or EACCES: the caller lacks a capability or a file permission. */
  public boolean isPermission() {
    return errno == Errno.EPERM || errno == Errno.EACCES;
  }
}
