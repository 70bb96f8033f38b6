package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.docker.DockerHost;
import dev.layertrace.lab.DockerLabPlan;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lab's {@code dockerd} as a process: started detached inside the guest namespace with
 * {@code setsid nsenter --net=/run/netns/GUEST} (never {@code ip netns exec}, which remounts /sys and
 * hides /sys/fs/cgroup), found again through its pidfile — trusted only when
 * {@code /proc/PID/cmdline} is this plan's daemon — and stopped with SIGTERM (SIGKILL after 15 s).
 */
public final class DockerDaemonProcess {
  private static final Duration DAEMON_START = Duration.ofSeconds(30);
  private static final Duration STOP = Duration.ofSeconds(15);

  private final DockerLabPlan plan;

  public DockerDaemonProcess(DockerLabPlan plan) {
    this.plan = plan;
  }

  private DockerHost host() {
    return new DockerHost(plan.socket());
  }

  /** The running daemon's pid, from the pidfile, when {@code /proc/PID/cmdline} is this plan's dockerd. */
  public Optional<Long> pid() {
    try {
      long pid = Long.parseLong(Files.readString(plan.pidFile()).strip());
      return cmdline(pid).filter(plan::isOurDaemon).map(c -> pid);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** True when the running daemon manages iptables (was not started with {@code --iptables=false}). */
  public boolean managesIptables() {
    return pid().flatMap(DockerDaemonProcess::cmdline).map(c -> !c.contains("--iptables=false")).orElse(false);
  }

  /** Spawns dockerd in the guest (its own session, output to the log) and waits for {@code /_ping}. */
  public long start(boolean iptables) {
    List<String> argv = new ArrayList<>(List.of(Commands.require("setsid", "util-linux").toString(),
        Commands.require("nsenter", "util-linux").toString(), "--net=" + Netns.RUN_NETNS.resolve(plan.netns())));
    argv.addAll(plan.dockerdArgs(iptables));
    ProcessBuilder pb = new ProcessBuilder(argv)
        .directory(plan.runtimeDir().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(plan.log().toFile()))
        .redirectErrorStream(true);
    // The daemon would otherwise inherit e.g. DOCKER_HOST and a PATH where a client-only docker comes first.
    pb.environment().remove("DOCKER_HOST");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new LayertraceException(ExitCode.INTERNAL, "cannot start dockerd: " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + DAEMON_START.toNanos();
    try (DockerClient c = DockerClient.open(host(), Duration.ofSeconds(2))) {
      while (true) {
        if (!p.isAlive()) {
          throw new LayertraceException(ExitCode.INTERNAL, "dockerd exited (" + p.exitValue() + ") in "
              + plan.netns() + ": " + lastLogLine() + " (see " + plan.log() + ")");
        }
        try {
          c.ping();
          return p.pid();
        } catch (LayertraceException e) {
          if (System.nanoTime() > deadline) {
            p.destroyForcibly();
            throw new LayertraceException(ExitCode.INTERNAL, "dockerd did not answer within "
                + DAEMON_START.toSeconds() + " s (see " + plan.log() + ")");
          }
        }
        sleep(50);
      }
    }
  }

  public void stop() {
    Optional<Long> pid = pid();
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> h = ProcessHandle.of(pid.get());
    if (h.isEmpty()) {
      return;
    }
    h.get().destroy();
    if (!waitGone(h.get(), STOP)) {
      h.get().destroyForcibly();
      waitGone(h.get(), Duration.ofSeconds(2));
    }
  }

  static boolean waitGone(ProcessHandle h, Duration limit) {
    try {
      h.onExit().get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !h.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !h.isAlive();
    }
  }

  private String lastLogLine() {
    try {
      List<String> lines = Files.readAllLines(plan.log());
      return lines.stream().filter(l -> l.contains("level=fatal") || l.contains("level=error"))
          .reduce((a, b) -> b).orElse(lines.isEmpty() ? "no output" : lines.get(lines.size() - 1)).strip();
    } catch (IOException e) {
      return "no log";
    }
  }

  static Optional<String> cmdline(long pid) {
    try {
      byte[] b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return b.length == 0 ? Optional.empty() : Optional.of(new String(b, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LayertraceException(ExitCode.INTERNAL, "interrupted");
    }
  }
}
