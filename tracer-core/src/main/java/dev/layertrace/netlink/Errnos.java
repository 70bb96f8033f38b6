package dev.layertrace.netlink;

/** Names and short descriptions of the errno values rtnetlink answers with. */
final class Errnos {
  private Errnos() {}

  static String name(int errno) {
    return switch (errno) {
      case 1 -> "EPERM";
      case 2 -> "ENOENT";
      case 3 -> "ESRCH";
      case 9 -> "EBADF";
      case 13 -> "EACCES";
      case 16 -> "EBUSY";
      case 17 -> "EEXIST";
      case 19 -> "ENODEV";
      case 22 -> "EINVAL";
      case 95 -> "EOPNOTSUPP";
      case 97 -> "EAFNOSUPPORT";
      case 100 -> "ENETDOWN";
      case 101 -> "ENETUNREACH";
      case 113 -> "EHOSTUNREACH";
      case 18 -> "EXDEV";
      default -> "errno " + errno;
    };
  }

  static String describe(int errno) {
    return switch (errno) {
      case 1 -> "operation not permitted";
      case 2 -> "no such entry";
      case 13 -> "permission denied";
      case 19 -> "no such device";
      case 22 -> "invalid argument";
      case 100 -> "network is down";
      case 101 -> "network is unreachable";
      case 113 -> "no route to host";
      case 18 -> "invalid cross-device link (e.g. reverse-path check failed)";
      default -> "kernel error";
    };
  }
}
