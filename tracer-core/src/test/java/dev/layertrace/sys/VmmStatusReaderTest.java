package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.discover.VmStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real QEMU (machine {@code none}: no guest, no network, no root) asked for its run state the way
 * discovery asks a tap's holder: over the socket its own command line names.
 */
class VmmStatusReaderTest {
  private static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");

  @TempDir
  Path dir;

  /** A QEMU started for one test, asked once its {@code socket} exists; closing stops it. */
  private record Qemu(List<String> args, Process process) implements AutoCloseable {
    static Qemu start(List<String> args, Path socket) throws Exception {
      Assumptions.assumeTrue(Files.isExecutable(QEMU), "skipped: " + QEMU + " is not installed (apt-get install"
          + " qemu-system-x86); .ci/run installs it");
      Qemu q = new Qemu(args, new ProcessBuilder(args).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
      for (int i = 0; i < 100 && !Files.exists(socket); i++) {
        Thread.sleep(20);
      }
      return q;
    }

    Optional<VmStatus> ask() {
      return VmmStatusReader.read(args);
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private List<String> qemu(boolean stopped, String... control) {
    List<String> a = new ArrayList<>(List.of(QEMU.toString(), "-M", "none", "-display", "none", "-nodefaults"));
    if (stopped) {
      a.add("-S");
    }
    a.addAll(List.of(control));
    return a;
  }

  @Test
  void qmpIsAskedFirstAndTellsPrelaunch() throws Exception {
    Path qmp = dir.resolve("q.sock");
    Path hmp = dir.resolve("h.sock");
    List<String> args = qemu(true, "-qmp", "unix:" + qmp + ",server=on,wait=off", "-monitor",
        "unix:" + hmp + ",server=on,wait=off");
    try (Qemu q = Qemu.start(args, qmp)) {
      VmStatus s = q.ask().orElseThrow();
      assertThat(s.state()).isEqualTo("prelaunch");
      assertThat(s.running()).isFalse();
      assertThat(s.source()).isEqualTo("QEMU QMP " + qmp);
    }
  }

  @Test
  void theHumanMonitorTellsRunningAndPaused() throws Exception {
    Path hmp = dir.resolve("h.sock");
    List<String> running = qemu(false, "-monitor", "unix:" + hmp + ",server=on,wait=off");
    try (Qemu q = Qemu.start(running, hmp)) {
      VmStatus s = q.ask().orElseThrow();
      assertThat(s.state()).isEqualTo("running");
      assertThat(s.running()).isTrue();
      QemuMonitor.command(hmp, "stop", java.time.Duration.ofSeconds(5));
      assertThat(q.ask()).map(VmStatus::state).contains("paused");
      assertThat(q.ask()).map(VmStatus::source).contains("QEMU monitor " + hmp);
    }
  }

  @Test
  void aSocketNobodyAnswersOnIsUnknownAndQuick() throws Exception {
    // Listening but never answering (a monitor another client holds looks like this).
    Path silent = dir.resolve("silent.sock");
    try (java.nio.channels.ServerSocketChannel s = java.nio.channels.ServerSocketChannel.open(
        java.net.StandardProtocolFamily.UNIX)) {
      s.bind(java.net.UnixDomainSocketAddress.of(silent));
      long t0 = System.nanoTime();
      assertThat(VmmStatusReader.read(List.of("qemu-system-x86_64", "-monitor", "unix:" + silent + ",server=on")))
          .isEmpty();
      assertThat((System.nanoTime() - t0) / 1_000_000).as("bounded by the reader's timeout, not hung")
          .isLessThan(VmmStatusReader.TIMEOUT.toMillis() + 2_000);
    }
    assertThat(VmmStatusReader.read(List.of("qemu-system-x86_64", "-qmp", "unix:" + dir.resolve("gone.sock")
        + ",server=on"))).isEmpty();
  }
}
