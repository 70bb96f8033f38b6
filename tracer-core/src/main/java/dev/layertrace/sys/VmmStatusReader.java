package dev.layertrace.sys;

import dev.layertrace.discover.QemuControlSocket;
import dev.layertrace.discover.VmStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Asks a VMM process for its VM's run state over the control socket its command line names (QEMU's
 * QMP or human monitor). Read-only ({@code query-status} / {@code info status}) and bounded: a socket
 * that another client holds (QEMU serves one at a time) or that does not answer in time gives
 * "unknown", never a wait.
 */
final class VmmStatusReader {
  static final Duration TIMEOUT = Duration.ofMillis(800);

  private VmmStatusReader() {}

  /** {@code args}: the VMM's command line; empty when it names no control socket or nothing answered. */
  static Optional<VmStatus> read(List<String> args) {
    return QemuControlSocket.of(args).flatMap(VmmStatusReader::ask);
  }

  private static Optional<VmStatus> ask(QemuControlSocket s) {
    try {
      String answer = s.qmp() ? QemuMonitor.qmp(s.socket(), "query-status", TIMEOUT)
          : QemuMonitor.command(s.socket(), "info status", TIMEOUT);
      return QemuControlSocket.runState(answer).map(state -> new VmStatus(state, s));
    } catch (RuntimeException e) {
      return Optional.empty(); // busy, gone or not ours to read: unknown
    }
  }
}
