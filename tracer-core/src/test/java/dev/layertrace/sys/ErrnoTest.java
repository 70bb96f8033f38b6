package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The errno table agrees with the C library of this machine, entry by entry. */
class ErrnoTest {

  static IntStream knownErrnos() {
    return IntStream.of(Errno.known());
  }

  @ParameterizedTest(name = "errno {0}")
  @MethodSource("knownErrnos")
  void nameAndMessageMatchGlibc(int errno) {
    assertThat(Errno.name(errno)).isEqualTo(Native.LIBC.strerrorname_np(errno));
    assertThat(Errno.message(errno)).isEqualTo(Native.LIBC.strerror(errno));
  }

  @Test
  void coversTheCommonErrnos() {
    assertThat(Errno.known()).hasSizeGreaterThanOrEqualTo(40);
    for (String name : new String[] {"EPERM", "ENOENT", "EINTR", "EBADF", "EAGAIN", "ENOMEM", "EACCES", "EBUSY",
        "EEXIST", "ENODEV", "EINVAL", "ENOTTY", "ENOSPC", "ENOSYS", "EBADFD", "ENOTSOCK", "EMSGSIZE",
        "EPROTONOSUPPORT", "EOPNOTSUPP", "EAFNOSUPPORT", "EADDRINUSE", "EADDRNOTAVAIL", "ENETDOWN", "ENETUNREACH",
        "ENOBUFS", "ETIMEDOUT", "ECONNREFUSED", "EHOSTUNREACH"}) {
      assertThat(Errno.byName(name)).as(name).isPresent();
    }
  }

  @Test
  void aliasesShareTheirNumber() {
    assertThat(Errno.EWOULDBLOCK).isEqualTo(Errno.EAGAIN);
    assertThat(Errno.byName("EWOULDBLOCK")).contains(Errno.EAGAIN);
    assertThat(Errno.byName("ENOTSUP")).contains(Errno.EOPNOTSUPP);
    assertThat(Errno.byName("EINVAL")).contains(22);
    assertThat(Errno.byName("ENOTANERRNO")).isEmpty();
  }

  @Test
  void unknownNumbersAreShownLikeGlibc() {
    assertThat(Errno.isKnown(4095)).isFalse();
    assertThat(Errno.name(4095)).isEqualTo("ERRNO_4095");
    assertThat(Errno.message(4095)).isEqualTo(Native.LIBC.strerror(4095));
  }
}
