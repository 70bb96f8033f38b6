package dev.layertrace.discover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.lab.qemu.QemuCommandLine;
import dev.layertrace.lab.qemu.QemuVmSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where a QEMU process is asked for its run state, and what its answers say. */
class QemuControlSocketTest {
  private static List<String> args(String line) {
    return List.of(line.split(" "));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // the lab's own form (QemuCommandLine) and the common hand-written ones
      "/usr/bin/qemu-system-x86_64 -M microvm -monitor unix:/run/l/monitor.sock,server=on,wait=off | /run/l/monitor.sock | false",
      "qemu-system-x86_64 -qmp unix:/tmp/q.sock,server,nowait -monitor unix:/tmp/h.sock,server,nowait | /tmp/q.sock | true",
      "qemu-system-aarch64 -chardev socket,id=mon0,path=/run/vm/qmp.sock,server=on,wait=off -mon chardev=mon0,mode=control | /run/vm/qmp.sock | true",
      "qemu-system-x86_64 -chardev socket,id=m,path=/run/vm/hmp.sock,server=on -mon chardev=m | /run/vm/hmp.sock | false",
      "qemu-system-x86_64 --qmp unix:/q,server=on | /q | true"})
  void findsTheServerSocketQmpFirst(String line, String socket, boolean qmp) {
    assertThat(QemuControlSocket.of(args(line))).contains(new QemuControlSocket(Path.of(socket), qmp));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // a client socket (QEMU connects out: nobody listens there for us), a serial chardev that is no
      // monitor (the lab's control channel), a monitor on stdio, and a program that is not QEMU
      "qemu-system-x86_64 -qmp unix:/run/libvirt/q.sock",
      "qemu-system-x86_64 -chardev socket,id=control,path=/run/l/control.sock,server=on,wait=off -device virtserialport,chardev=control",
      "qemu-system-x86_64 -monitor stdio",
      "/usr/bin/firecracker --api-sock /run/fc.sock -monitor unix:/x,server=on"})
  void findsNothingToAsk(String line) {
    assertThat(QemuControlSocket.of(args(line))).isEmpty();
  }

  @Test
  void theLabsQemuIsAskedOnItsMonitorNotOnItsControlChannel() {
    // The command line the QEMU lab starts (it has a server chardev for the guest's control port too).
    QemuVmSpec vm = new QemuVmSpec("/c/vmlinuz", "/c/initrd.gz", 1024, 1, null, "tap0", "06:00:ac:10:00:02",
        java.util.Map.of("jdk", "/usr/lib/jvm/x"), "/run/x/console.log", "/run/x/control.sock", "/run/x/monitor.sock");
    assertThat(QemuControlSocket.of(QemuCommandLine.argv("/usr/bin/qemu-system-x86_64", vm)))
        .contains(new QemuControlSocket(Path.of("/run/x/monitor.sock"), false));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // recorded from QEMU 7.2 (Debian 12): HMP "info status" and QMP "query-status"
      "VM status: paused (prelaunch) | paused",
      "VM status: running | running",
      "VM status: paused | paused",
      "{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}} | prelaunch",
      "{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}} | running"})
  void readsTheRunState(String answer, String state) {
    assertThat(QemuControlSocket.runState(answer)).contains(state);
  }

  @Test
  void anAnswerWithoutAStateIsUnknown() {
    assertThat(QemuControlSocket.runState("unknown command: 'info'")).isEmpty();
  }
}
