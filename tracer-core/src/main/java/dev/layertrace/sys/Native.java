package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;

/** The loaded libc binding and the errno of the last call on this thread. Stateless apart from the binding. */
final class Native {
  static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
  static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

  private Native() {}

  /** errno saved by the last {@code @SaveError} call on this thread. Read it before any other native call. */
  static int errno() {
    return LastError.getLastError(RUNTIME);
  }

  /** Returns {@code rc}, or throws a {@link SysException} naming {@code syscall} and errno when it is negative. */
  static int check(String syscall, int rc) {
    if (rc < 0) {
      throw new SysException(syscall, errno());
    }
    return rc;
  }

  /** A missing-capability error (exit 3) that keeps the failed call as its cause for --debug. */
  static LayertraceException missingPrivilege(String capability, String what, SysException cause) {
    return new LayertraceException(ExitCode.PRIVILEGE,
        LayertraceException.missingPrivilege(capability, what).getMessage(), cause);
  }

  /** Closes {@code fd}, ignoring errors: used on cleanup paths where a failure changes nothing. */
  static void closeQuietly(int fd) {
    if (fd >= 0) {
      LIBC.close(fd);
    }
  }

  /**
   * The few libc functions layertrace calls, bound with jnr-ffi. Everything outside {@code sys} goes
   * through the typed wrappers. Every call saves errno ({@link SaveError}) so that
   * {@link Native#errno()} reads the value of this call on this thread, not one clobbered by the JVM.
   * Public only because jnr generates its implementation in another class loader; {@link Native} is
   * package-private, so nothing outside {@code sys} can name it.
   * Arrays are marked {@link In}/{@link Out} so that jnr copies them only in the direction needed.
   */
  public interface LibC {
    @SaveError
    int open(String path, int flags);

    @SaveError
    int close(int fd);

    @SaveError
    int setns(int fd, int nstype);

    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int bind(int fd, @In byte[] addr, int addrlen);

    @SaveError
    long sendto(int fd, @In byte[] buf, long len, int flags, @In byte[] addr, int addrlen);

    @SaveError
    long recv(int fd, @Out byte[] buf, long len, int flags);

    /** Into a direct buffer: the kernel writes to its memory, nothing is copied back whole. */
    @SaveError
    long recv(int fd, @Out java.nio.ByteBuffer buf, long len, int flags);

    @SaveError
    long recvfrom(int fd, @Out byte[] buf, long len, int flags, @Out byte[] addr, @In @Out int[] addrlen);

    @SaveError
    int setsockopt(int fd, int level, int name, @In byte[] value, int len);

    @SaveError
    int getsockopt(int fd, int level, int name, @Out byte[] value, @In @Out int[] len);

    @SaveError
    int getsockname(int fd, @Out byte[] addr, @In @Out int[] addrlen);

    @SaveError
    int poll(@In @Out byte[] fds, long nfds, int timeout);

    // ioctl is variadic in C: tell jnr how many arguments are fixed.
    @SaveError
    @Variadic(fixedCount = 2)
    int ioctl(int fd, long request, @In @Out byte[] arg);

    @SaveError
    @Variadic(fixedCount = 2)
    int ioctl(int fd, long request, long arg);

    @SaveError
    long read(int fd, @Out byte[] buf, long count);

    @SaveError
    long write(int fd, @In byte[] buf, long count);

    // Pointer variants: the tap relay reads and writes through native buffers, so that only the frame's
    // bytes cross the JNI boundary, not the whole Java array.
    @SaveError
    long read(int fd, Pointer buf, long count);

    @SaveError
    long write(int fd, Pointer buf, long count);

    @SaveError
    int if_nametoindex(String name);

    /** For system calls glibc has no wrapper for here (pidfd_open, pidfd_getfd). */
    @SaveError
    @Variadic(fixedCount = 1)
    long syscall(long number, long a1, long a2, long a3);

    /** glibc's text for an errno; used by tests to check the {@link Errno} table. */
    String strerror(int errnum);

    /** glibc (2.32+) symbol name for an errno; used by tests to check the {@link Errno} table. */
    String strerrorname_np(int errnum);
  }
}
