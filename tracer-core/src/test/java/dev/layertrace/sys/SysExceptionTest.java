package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Error values and the errno mapping of real failures that need no privilege. */
class SysExceptionTest {

  @ParameterizedTest
  @CsvSource({
      "setns, 1, EPERM, true, 'setns: EPERM (Operation not permitted)'",
      "open /dev/net/tun, 13, EACCES, true, 'open /dev/net/tun: EACCES (Permission denied)'",
      "sendto, 101, ENETUNREACH, false, 'sendto: ENETUNREACH (Network is unreachable)'",
      "read tap0, 77, EBADFD, false, 'read tap0: EBADFD (File descriptor in bad state)'"})
  void namesTheCallAndTheErrno(String call, int errno, String name, boolean permission, String message) {
    SysException e = new SysException(call, errno);
    assertThat(e).hasMessage(message);
    assertThat(e.syscall()).isEqualTo(call);
    assertThat(e.errno()).isEqualTo(errno);
    assertThat(e.errnoName()).isEqualTo(name);
    assertThat(e.isPermission()).isEqualTo(permission);
  }

  @Test
  void setnsOnAFileThatIsNoNamespaceIsEinval() {
    // The kernel checks the file's type before any capability, so this runs without root too.
    assertThatThrownBy(() -> NetnsExecutor.enter(Netns.ofPath(Path.of("/proc/self/status"))))
        .isInstanceOfSatisfying(SysException.class, e -> {
          assertThat(e.syscall()).isEqualTo("setns");
          assertThat(e.errnoName()).isEqualTo("EINVAL");
          assertThat(e).hasMessage("setns: EINVAL (Invalid argument)");
        });
  }

  @Test
  void anUnknownAddressFamilyIsEafnosupport() {
    assertThatThrownBy(() -> LinuxSocket.open(255, LinuxConstants.SOCK_DGRAM, 0))
        .isInstanceOfSatisfying(SysException.class, e -> {
          assertThat(e.syscall()).isEqualTo("socket");
          assertThat(e.errno()).isEqualTo(Errno.EAFNOSUPPORT);
        });
  }

  @Test
  void aMissingNamespaceIsAUsageError() {
    assertThatThrownBy(() -> Netns.named("lt-tsys-does-not-exist"))
        .isInstanceOfSatisfying(LayertraceException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
          assertThat(e).hasMessage("no network namespace 'lt-tsys-does-not-exist' (see ip netns list)");
        });
    assertThatThrownBy(() -> Netns.named("../etc")).isInstanceOf(LayertraceException.class);
  }

  @Test
  void aClosedSocketRefusesWithEbadfWithoutTouchingTheNumber() {
    LinuxSocket s = LinuxSocket.open(LinuxConstants.AF_NETLINK, LinuxConstants.SOCK_RAW, LinuxConstants.NETLINK_ROUTE);
    s.close();
    s.close(); // idempotent
    assertThatThrownBy(() -> s.recv(new byte[16], 0, 16, 0))
        .isInstanceOfSatisfying(SysException.class, e -> assertThat(e.errnoName()).isEqualTo("EBADF"));
  }
}
