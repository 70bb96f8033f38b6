package dev.layertrace.sys;

import java.util.Map;
import java.util.Optional;

/**
 * Linux errno numbers (x86_64 and the other generic-ABI architectures) with their symbol names and
 * glibc's texts, so that an error can say {@code setns: EPERM (Operation not permitted)} without a
 * native call. Numbers not in the table are shown as {@code ERRNO_n} / {@code Unknown error n}.
 */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int ESRCH = 3;
  public static final int EINTR = 4;
  public static final int EIO = 5;
  public static final int ENXIO = 6;
  public static final int E2BIG = 7;
  public static final int ENOEXEC = 8;
  public static final int EBADF = 9;
  public static final int ECHILD = 10;
  public static final int EAGAIN = 11;
  public static final int ENOMEM = 12;
  public static final int EACCES = 13;
  public static final int EFAULT = 14;
  public static final int ENOTBLK = 15;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int EXDEV = 18;
  public static final int ENODEV = 19;
  public static final int ENOTDIR = 20;
  public static final int EISDIR = 21;
  public static final int EINVAL = 22;
  public static final int ENFILE = 23;
  public static final int EMFILE = 24;
  public static final int ENOTTY = 25;
  public static final int ETXTBSY = 26;
  public static final int EFBIG = 27;
  public static final int ENOSPC = 28;
  public static final int ESPIPE = 29;
  public static final int EROFS = 30;
  public static final int EMLINK = 31;
  public static final int EPIPE = 32;
  public static final int EDOM = 33;
  public static final int ERANGE = 34;
  public static final int EDEADLK = 35;
  public static final int ENAMETOOLONG = 36;
  public static final int ENOLCK = 37;
  public static final int ENOSYS = 38;
  public static final int ENOTEMPTY = 39;
  public static final int ELOOP = 40;
  public static final int ENOMSG = 42;
  public static final int EIDRM = 43;
  public static final int ENODATA = 61;
  public static final int ETIME = 62;
  public static final int ENOLINK = 67;
  public static final int EPROTO = 71;
  public static final int EBADMSG = 74;
  public static final int EOVERFLOW = 75;
  public static final int EBADFD = 77;
  public static final int EILSEQ = 84;
  public static final int ENOTSOCK = 88;
  public static final int EDESTADDRREQ = 89;
  public static final int EMSGSIZE = 90;
  public static final int EPROTOTYPE = 91;
  public static final int ENOPROTOOPT = 92;
  public static final int EPROTONOSUPPORT = 93;
  public static final int ESOCKTNOSUPPORT = 94;
  public static final int EOPNOTSUPP = 95;
  public static final int EPFNOSUPPORT = 96;
  public static final int EAFNOSUPPORT = 97;
  public static final int EADDRINUSE = 98;
  public static final int EADDRNOTAVAIL = 99;
  public static final int ENETDOWN = 100;
  public static final int ENETUNREACH = 101;
  public static final int ENETRESET = 102;
  public static final int ECONNABORTED = 103;
  public static final int ECONNRESET = 104;
  public static final int ENOBUFS = 105;
  public static final int EISCONN = 106;
  public static final int ENOTCONN = 107;
  public static final int ESHUTDOWN = 108;
  public static final int ETIMEDOUT = 110;
  public static final int ECONNREFUSED = 111;
  public static final int EHOSTDOWN = 112;
  public static final int EHOSTUNREACH = 113;
  public static final int EALREADY = 114;
  public static final int EINPROGRESS = 115;
  public static final int ESTALE = 116;
  public static final int EDQUOT = 122;
  public static final int ECANCELED = 125;
  public static final int EOWNERDEAD = 130;
  public static final int ERFKILL = 132;
  /** The same number as {@link #EAGAIN}; Linux has no separate value. */
  public static final int EWOULDBLOCK = EAGAIN;
  /** The same number as {@link #EOPNOTSUPP}. */
  public static final int ENOTSUP = EOPNOTSUPP;

  private record Entry(String name, String message) {}

  private static final Map<Integer, Entry> TABLE = Map.ofEntries(
      Map.entry(EPERM, new Entry("EPERM", "Operation not permitted")),
      Map.entry(ENOENT, new Entry("ENOENT", "No such file or directory")),
      Map.entry(ESRCH, new Entry("ESRCH", "No such process")),
      Map.entry(EINTR, new Entry("EINTR", "Interrupted system call")),
      Map.entry(EIO, new Entry("EIO", "Input/output error")),
      Map.entry(ENXIO, new Entry("ENXIO", "No such device or address")),
      Map.entry(E2BIG, new Entry("E2BIG", "Argument list too long")),
      Map.entry(ENOEXEC, new Entry("ENOEXEC", "Exec format error")),
      Map.entry(EBADF, new Entry("EBADF", "Bad file descriptor")),
      Map.entry(ECHILD, new Entry("ECHILD", "No child processes")),
      Map.entry(EAGAIN, new Entry("EAGAIN", "Resource temporarily unavailable")),
      Map.entry(ENOMEM, new Entry("ENOMEM", "Cannot allocate memory")),
      Map.entry(EACCES, new Entry("EACCES", "Permission denied")),
      Map.entry(EFAULT, new Entry("EFAULT", "Bad address")),
      Map.entry(ENOTBLK, new Entry("ENOTBLK", "Block device required")),
      Map.entry(EBUSY, new Entry("EBUSY", "Device or resource busy")),
      Map.entry(EEXIST, new Entry("EEXIST", "File exists")),
      Map.entry(EXDEV, new Entry("EXDEV", "Invalid cross-device link")),
      Map.entry(ENODEV, new Entry("ENODEV", "No such device")),
      Map.entry(ENOTDIR, new Entry("ENOTDIR", "Not a directory")),
      Map.entry(EISDIR, new Entry("EISDIR", "Is a directory")),
      Map.entry(EINVAL, new Entry("EINVAL", "Invalid argument")),
      Map.entry(ENFILE, new Entry("ENFILE", "Too many open files in system")),
      Map.entry(EMFILE, new Entry("EMFILE", "Too many open files")),
      Map.entry(ENOTTY, new Entry("ENOTTY", "Inappropriate ioctl for device")),
      Map.entry(ETXTBSY, new Entry("ETXTBSY", "Text file busy")),
      Map.entry(EFBIG, new Entry("EFBIG", "File too large")),
      Map.entry(ENOSPC, new Entry("ENOSPC", "No space left on device")),
      Map.entry(ESPIPE, new Entry("ESPIPE", "Illegal seek")),
      Map.entry(EROFS, new Entry("EROFS", "Read-only file system")),
      Map.entry(EMLINK, new Entry("EMLINK", "Too many links")),
      Map.entry(EPIPE, new Entry("EPIPE", "Broken pipe")),
      Map.entry(EDOM, new Entry("EDOM", "Numerical argument out of domain")),
      Map.entry(ERANGE, new Entry("ERANGE", "Numerical result out of range")),
      Map.entry(EDEADLK, new Entry("EDEADLK", "Resource deadlock avoided")),
      Map.entry(ENAMETOOLONG, new Entry("ENAMETOOLONG", "File name too long")),
      Map.entry(ENOLCK, new Entry("ENOLCK", "No locks available")),
      Map.entry(ENOSYS, new Entry("ENOSYS", "Function not implemented")),
      Map.entry(ENOTEMPTY, new Entry("ENOTEMPTY", "Directory not empty")),
      Map.entry(ELOOP, new Entry("ELOOP", "Too many levels of symbolic links")),
      Map.entry(ENOMSG, new Entry("ENOMSG", "No message of desired type")),
      Map.entry(EIDRM, new Entry("EIDRM", "Identifier removed")),
      Map.entry(ENODATA, new Entry("ENODATA", "No data available")),
      Map.entry(ETIME, new Entry("ETIME", "Timer expired")),
      Map.entry(ENOLINK, new Entry("ENOLINK", "Link has been severed")),
      Map.entry(EPROTO, new Entry("EPROTO", "Protocol error")),
      Map.entry(EBADMSG, new Entry("EBADMSG", "Bad message")),
      Map.entry(EOVERFLOW, new Entry("EOVERFLOW", "Value too large for defined data type")),
      Map.entry(EBADFD, new Entry("EBADFD", "File descriptor in bad state")),
      Map.entry(EILSEQ, new Entry("EILSEQ", "Invalid or incomplete multibyte or wide character")),
      Map.entry(ENOTSOCK, new Entry("ENOTSOCK", "Socket operation on non-socket")),
      Map.entry(EDESTADDRREQ, new Entry("EDESTADDRREQ", "Destination address required")),
      Map.entry(EMSGSIZE, new Entry("EMSGSIZE", "Message too long")),
      Map.entry(EPROTOTYPE, new Entry("EPROTOTYPE", "Protocol wrong type for socket")),
      Map.entry(ENOPROTOOPT, new Entry("ENOPROTOOPT", "Protocol not available")),
      Map.entry(EPROTONOSUPPORT, new Entry("EPROTONOSUPPORT", "Protocol not supported")),
      Map.entry(ESOCKTNOSUPPORT, new Entry("ESOCKTNOSUPPORT", "Socket type not supported")),
      Map.entry(EOPNOTSUPP, new Entry("EOPNOTSUPP", "Operation not supported")),
      Map.entry(EPFNOSUPPORT, new Entry("EPFNOSUPPORT", "Protocol family not supported")),
      Map.entry(EAFNOSUPPORT, new Entry("EAFNOSUPPORT", "Address family not supported by protocol")),
      Map.entry(EADDRINUSE, new Entry("EADDRINUSE", "Address already in use")),
      Map.entry(EADDRNOTAVAIL, new Entry("EADDRNOTAVAIL", "Cannot assign requested address")),
      Map.entry(ENETDOWN, new Entry("ENETDOWN", "Network is down")),
      Map.entry(ENETUNREACH, new Entry("ENETUNREACH", "Network is unreachable")),
      Map.entry(ENETRESET, new Entry("ENETRESET", "Network dropped connection on reset")),
      Map.entry(ECONNABORTED, new Entry("ECONNABORTED", "Software caused connection abort")),
      Map.entry(ECONNRESET, new Entry("ECONNRESET", "Connection reset by peer")),
      Map.entry(ENOBUFS, new Entry("ENOBUFS", "No buffer space available")),
      Map.entry(EISCONN, new Entry("EISCONN", "Transport endpoint is already connected")),
      Map.entry(ENOTCONN, new Entry("ENOTCONN", "Transport endpoint is not connected")),
      Map.entry(ESHUTDOWN, new Entry("ESHUTDOWN", "Cannot send after transport endpoint shutdown")),
      Map.entry(ETIMEDOUT, new Entry("ETIMEDOUT", "Connection timed out")),
      Map.entry(ECONNREFUSED, new Entry("ECONNREFUSED", "Connection refused")),
      Map.entry(EHOSTDOWN, new Entry("EHOSTDOWN", "Host is down")),
      Map.entry(EHOSTUNREACH, new Entry("EHOSTUNREACH", "No route to host")),
      Map.entry(EALREADY, new Entry("EALREADY", "Operation already in progress")),
      Map.entry(EINPROGRESS, new Entry("EINPROGRESS", "Operation now in progress")),
      Map.entry(ESTALE, new Entry("ESTALE", "Stale file handle")),
      Map.entry(EDQUOT, new Entry("EDQUOT", "Disk quota exceeded")),
      Map.entry(ECANCELED, new Entry("ECANCELED", "Operation canceled")),
      Map.entry(EOWNERDEAD, new Entry("EOWNERDEAD", "Owner died")),
      Map.entry(ERFKILL, new Entry("ERFKILL", "Operation not possible due to RF-kill")));

  private Errno() {}

  /** The symbol, e.g. {@code "EPERM"} for 1; {@code "ERRNO_n"} when unknown. */
  public static String name(int errno) {
    Entry e = TABLE.get(errno);
    return e != null ? e.name() : "ERRNO_" + errno;
  }

  /** glibc's text, e.g. {@code "Operation not permitted"}; {@code "Unknown error n"} when unknown. */
  public static String message(int errno) {
    Entry e = TABLE.get(errno);
    return e != null ? e.message() : "Unknown error " + errno;
  }

  /** True when the table knows {@code errno}. */
  public static boolean isKnown(int errno) {
    return TABLE.containsKey(errno);
  }

  /** The number for a symbol such as {@code "EINVAL"} (the aliases EWOULDBLOCK and ENOTSUP included). */
  public static Optional<Integer> byName(String name) {
    if ("EWOULDBLOCK".equals(name)) {
      return Optional.of(EAGAIN);
    }
    if ("ENOTSUP".equals(name)) {
      return Optional.of(EOPNOTSUPP);
    }
    return TABLE.entrySet().stream().filter(e -> e.getValue().name().equals(name)).map(Map.Entry::getKey)
        .findFirst();
  }

  /** Every errno the table knows, ascending; for table-driven tests and documentation. */
  public static int[] known() {
    return TABLE.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
  }
}
