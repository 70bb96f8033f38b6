package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.lab.LabStep;
import dev.layertrace.lab.RelayCounters;
import dev.layertrace.lab.RelayStatus;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The lab's VMM relay seen from outside: starts it detached (its own session, output to
 * {@code vmm.log}), finds it again through {@code vmm.pid} — trusting the pid only when
 * {@code /proc/PID/cmdline} is a relay's — signals it and stops it.
 */
public final class RelayProcess {
  /** What a relay's command line contains (the {@code lab vmm} subcommand). */
  private static final List<String> RELAY_ARGS = List.of("lab", "vmm");

  private final LabRuntime runtime;

  public RelayProcess(LabRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * Starts {@code command} (e.g. {@code java -cp … dev.layertrace.cli.Main lab vmm}) in a session of its
   * own, from this (root-namespace) thread, and records its pid.
   */
  public long start(List<String> command) {
    runtime.create();
    List<String> argv = new ArrayList<>();
    argv.add(Commands.require("setsid", "util-linux").toString());
    argv.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(runtime.relayLog().toFile()))
        .redirectErrorStream(true);
    try {
      Files.deleteIfExists(runtime.relayState());
      Process p = pb.start();
      writePid(runtime.relayPidFile(), p.pid());
      return p.pid();
    } catch (IOException e) {
      throw new LayertraceException(ExitCode.INTERNAL, "cannot start the VMM relay: " + e.getMessage(), e);
    }
  }

  /** Writes {@code pid} atomically; the relay writes its own pid too once it runs. */
  public static void writePid(Path file, long pid) {
    writeAtomically(file, pid + "\n");
  }

  /** Replaces {@code file}'s content in one rename, so a reader never sees half of it. */
  public static void writeAtomically(Path file, String text) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The pid in the pidfile, if any. */
  public Optional<Long> pid() {
    try {
      return Optional.of(Long.parseLong(Files.readString(runtime.relayPidFile()).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The relay's process state and last counters. */
  public RelayStatus status() {
    Optional<Long> pid = pid();
    RelayCounters counters = counters().orElse(null);
    if (pid.isEmpty()) {
      return new RelayStatus(null, RelayStatus.ProcessState.ABSENT, counters);
    }
    int p = pid.get().intValue();
    if (!isRelay(p)) {
      return new RelayStatus(p, RelayStatus.ProcessState.DEAD, counters);
    }
    char state = procState(p);
    RelayStatus.ProcessState s = switch (state) {
      case 'T', 't' -> RelayStatus.ProcessState.STOPPED;
      case 'Z', 'X', '?' -> RelayStatus.ProcessState.DEAD;
      default -> RelayStatus.ProcessState.RUNNING;
    };
    return new RelayStatus(p, s, counters);
  }

  /** The counters the relay last wrote. */
  public Optional<RelayCounters> counters() {
    try {
      return Optional.of(RelayCounters.parse(Files.readString(runtime.relayState())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Sends STOP or CONT to the relay; fails when no relay runs. */
  public void signal(LabStep.RelaySignal signal) {
    long pid = pid().filter(p -> isRelay(p.intValue())).orElseThrow(() -> new LayertraceException(
        ExitCode.STOPPED, "no VMM relay is running (start the lab with: layertrace lab up)"));
    Commands.run("kill", "-s", signal.name(), Long.toString(pid)).orThrow();
  }

  /**
   * Ends the relay: CONT (a stopped process does not act on TERM), TERM, and KILL if it is still there
   * after {@code graceMillis}. Besides the pid in the pidfile, ends every relay of this runtime folder
   * found by its command line: a {@code lab up} killed between starting the relay and writing its pid
   * leaves one that no pidfile names. Does nothing when there is none.
   */
  public void stop(long graceMillis) {
    java.util.Set<Long> pids = new java.util.TreeSet<>(running());
    pid().filter(p -> isRelay(p.intValue())).ifPresent(pids::add);
    for (long p : pids) {
      stopOne(p, graceMillis);
    }
  }

  private static void stopOne(long p, long graceMillis) {
    Commands.run("kill", "-s", "CONT", Long.toString(p));
    Optional<ProcessHandle> h = ProcessHandle.of(p);
    if (h.isEmpty()) {
      return;
    }
    h.get().destroy();
    long deadline = System.currentTimeMillis() + graceMillis;
    while (h.get().isAlive() && isRelay((int) p) && System.currentTimeMillis() < deadline) {
      sleep(10);
    }
    if (h.get().isAlive() && isRelay((int) p)) {
      h.get().destroyForcibly();
      long killDeadline = System.currentTimeMillis() + 1000;
      while (h.get().isAlive() && procState((int) p) != 'Z' && System.currentTimeMillis() < killDeadline) {
        sleep(10);
      }
    }
  }

  /** The relays of this runtime folder that run now, by their command line ({@code --runtime-dir}, default the standard lab's). */
  List<Long> running() {
    List<Long> found = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(h -> {
      List<String> args = cmdline((int) h.pid());
      int at = java.util.Collections.indexOfSubList(args, RELAY_ARGS);
      if (at >= 0 && procState((int) h.pid()) != 'Z' && runtimeDirOf(args.subList(at, args.size()))
          .equals(runtime.dir().toString())) {
        found.add(h.pid());
      }
    });
    return found;
  }

  /** The {@code --runtime-dir} a relay's arguments name, or the standard lab's folder. */
  private static String runtimeDirOf(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--runtime-dir") && i + 1 < args.size()) {
        return args.get(i + 1);
      }
      if (args.get(i).startsWith("--runtime-dir=")) {
        return args.get(i).substring("--runtime-dir=".length());
      }
    }
    return LabRuntime.standard().dir().toString();
  }

  private static List<String> cmdline(int pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "cmdline"));
      return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** True when process {@code pid} exists, is not a zombie, and runs {@code … lab vmm}. */
  static boolean isRelay(int pid) {
    List<String> args = cmdline(pid);
    return !args.isEmpty() && procState(pid) != 'Z' && java.util.Collections.indexOfSubList(args, RELAY_ARGS) >= 0;
  }

  /** The state letter of {@code /proc/PID/stat} (R, S, T, Z, …), or '?' when the process is gone. */
  static char procState(int pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
      int close = stat.lastIndexOf(')');
      return close < 0 || close + 2 >= stat.length() ? '?' : stat.charAt(close + 2);
    } catch (IOException e) {
      return '?';
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
