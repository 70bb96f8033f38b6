package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.lab.qemu.QemuCommandLine;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The lab's QEMU process seen from outside: started detached inside the lab's host namespace (so that
 * its {@code -netdev tap,ifname=tap0} opens the tap there), found again through {@code qemu.pid} —
 * trusted only while {@code /proc/PID/cmdline} is QEMU's with this lab's control socket — and stopped
 * by that pid alone.
 */
public final class QemuProcess {
  private final Path dir;

  /** @param dir the QEMU lab's runtime folder (pidfile, log, sockets) */
  public QemuProcess(Path dir) {
    this.dir = dir;
  }

  public Path pidFile() {
    return dir.resolve("qemu.pid");
  }

  public Path log() {
    return dir.resolve("qemu.log");
  }

  public Path consoleLog() {
    return dir.resolve("console.log");
  }

  public Path controlSocket() {
    return dir.resolve("control.sock");
  }

  public Path monitorSocket() {
    return dir.resolve("monitor.sock");
  }

  /** What the pidfile's process is. */
  public enum State { ABSENT, RUNNING, DEAD }

  /** Starts {@code qemuArgv} in network namespace {@code netns}, in a session of its own; returns its pid. */
  public long start(List<String> qemuArgv, String netns) {
    List<String> argv = new ArrayList<>();
    argv.add(Commands.require("setsid", "util-linux").toString());
    // setsid and nsenter both exec (no fork): the pid Java sees is QEMU's own.
    argv.add(Commands.require("nsenter", "util-linux").toString());
    argv.add("--net=/run/netns/" + netns);
    argv.add("--");
    argv.addAll(qemuArgv);
    ProcessBuilder pb = new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
        .redirectErrorStream(true);
    try {
      Files.createDirectories(dir);
      Process p = pb.start();
      RelayProcess.writePid(pidFile(), p.pid());
      return p.pid();
    } catch (IOException e) {
      throw new LayertraceException(ExitCode.INTERNAL, "cannot start QEMU: " + e.getMessage(), e);
    }
  }

  public Optional<Long> pid() {
    try {
      return Optional.of(Long.parseLong(Files.readString(pidFile()).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  public State state() {
    Optional<Long> pid = pid();
    if (pid.isEmpty()) {
      return State.ABSENT;
    }
    return isOurs(pid.get()) ? State.RUNNING : State.DEAD;
  }

  /** The last lines of QEMU's own output (why it did not start). */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log());
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())).strip();
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Ends QEMU: TERM, then KILL if it is still there after {@code graceMillis}. Only the process the
   * pidfile names, and only while it is this lab's QEMU.
   */
  public void stop(long graceMillis) {
    Optional<Long> pid = pid();
    if (pid.isEmpty() || !isOurs(pid.get())) {
      return;
    }
    Optional<ProcessHandle> h = ProcessHandle.of(pid.get());
    if (h.isEmpty()) {
      return;
    }
    h.get().destroy();
    long deadline = System.currentTimeMillis() + graceMillis;
    while (h.get().isAlive() && isOurs(pid.get()) && System.currentTimeMillis() < deadline) {
      sleep(20);
    }
    if (h.get().isAlive() && isOurs(pid.get())) {
      h.get().destroyForcibly();
      long killDeadline = System.currentTimeMillis() + 2000;
      while (h.get().isAlive() && RelayProcess.procState(pid.get().intValue()) != 'Z'
          && System.currentTimeMillis() < killDeadline) {
        sleep(20);
      }
    }
  }

  /** True while {@code pid} is a live QEMU serving this lab's control socket. */
  boolean isOurs(long pid) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
    } catch (IOException e) {
      return false;
    }
    List<String> args = Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
    char state = RelayProcess.procState((int) pid);
    return state != 'Z' && state != '?' && !args.isEmpty() && args.get(0).endsWith(QemuCommandLine.BINARY)
        && args.stream().anyMatch(a -> a.contains("path=" + controlSocket() + ","));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
