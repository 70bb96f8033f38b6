package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.docker.ContainerDetails;
import dev.layertrace.docker.DockerHost;
import dev.layertrace.lab.DockerLabFault;
import dev.layertrace.lab.DockerLabPlan;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.lab.Reachability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The real-Docker lab on this machine: Debian's {@code dockerd} started inside the guest namespace
 * ({@code nsenter --net}, never {@code ip netns exec}, which hides /sys/fs/cgroup), an image imported
 * offline from busybox-static, one container; its faults; and its removal — the daemon by pidfile
 * (trusted only when {@code /proc/PID/cmdline} is this plan's daemon), what the daemon started, the
 * mounts it made and its runtime folder. Needs the lab's namespaces to exist ({@link LabSystem#up()}).
 */
public final class DockerLab {
  private static final Duration CONTAINER_START = Duration.ofSeconds(30);
  private static final Duration TOOL = Duration.ofSeconds(60);

  private final DockerLabPlan plan;
  private final LabRuntime labRuntime;
  private final DockerDaemonProcess daemon;
  private final DockerLabLeftovers leftovers;
  private final LabStepRunner runner = new LabStepRunner(s -> {
    throw new IllegalStateException("the Docker lab has no relay step");
  });

  /** @param labRuntime the lab whose lock serialises changes with {@code lab break}/{@code heal} */
  public DockerLab(DockerLabPlan plan, LabRuntime labRuntime) {
    this.plan = plan;
    this.labRuntime = labRuntime;
    this.daemon = new DockerDaemonProcess(plan);
    this.leftovers = new DockerLabLeftovers(plan, daemon);
  }

  /** The daemon of the standard lab ({@code /run/layertrace/docker}, in lt-guest). */
  public static DockerLab standard() {
    return new DockerLab(DockerLabPlan.standard(), LabRuntime.standard());
  }

  public DockerLabPlan plan() {
    return plan;
  }

  public DockerHost host() {
    return new DockerHost(plan.socket());
  }

  /**
   * What {@link #up()} did, with its timings.
   *
   * @param daemonStart from spawning dockerd to its first {@code /_ping} answer (zero when already up)
   * @param imageImport building the rootfs and {@code docker import} (zero when the image was there)
   * @param containerStart {@code docker run} until the container runs
   */
  public record Up(boolean alreadyUp, long daemonPid, ContainerDetails container, Duration daemonStart,
      Duration imageImport, Duration containerStart, Duration total, Reachability reachability) {}

  /** Fails with exit 3 naming the package when a tool the Docker lab needs is missing. */
  public static void requireTools() {
    for (String[] t : new String[][] {{DockerLabPlan.DOCKERD, "docker.io"}, {DockerLabPlan.DOCKER, "docker.io"},
        {"/usr/bin/containerd", "containerd"}, {"/usr/sbin/runc", "runc"}, {"/bin/busybox", "busybox-static"}}) {
      if (!Files.isExecutable(Path.of(t[0]))) {
        throw LayertraceException.missingFeature("'" + t[0] + "' is not installed: install the " + t[1]
            + " package (apt-get install " + t[1] + ")");
      }
    }
    Commands.require("nsenter", "util-linux");
    Commands.require("tar", "tar");
  }

  /**
   * Starts the daemon in the guest, imports the image and runs the container, then waits until the
   * container reaches the remote. Idempotent: a running daemon with its container is left as it is.
   */
  public Up up() {
    long t0 = System.nanoTime();
    requireRoot();
    requireTools();
    requireGuest();
    try (LabLock lock = LabLock.acquire(labRuntime)) {
      Optional<Long> pid = daemon.pid();
      // A daemon whose guest was deleted and rebuilt under it lives in an orphaned namespace: not ours.
      if (pid.isPresent() && inGuest(pid.get())) {
        try (DockerClient c = DockerClient.open(host())) {
          c.ping();
          ContainerDetails d = c.running(DockerLabPlan.CONTAINER);
          return new Up(true, pid.get(), d, Duration.ZERO, Duration.ZERO, Duration.ZERO, since(t0), reach(d, 2, 500));
        } catch (LayertraceException e) {
          // a daemon without its container: start over below
        }
      }
      leftovers.clear();
      // Start from nothing: a killed run's containers would clash with the new one's name.
      leftovers.remove();
      try {
        leftovers.create();
        runner.run(plan.bridgeSteps());
        long t1 = System.nanoTime();
        long daemonPid = daemon.start(true);
        Duration daemonStart = since(t1);
        long t2 = System.nanoTime();
        importImage();
        Duration imported = since(t2);
        long t3 = System.nanoTime();
        docker(plan.runArgs());
        ContainerDetails d = awaitContainer();
        Duration started = since(t3);
        Reachability r = awaitPath(d);
        if (!r.reached()) {
          throw new LayertraceException(ExitCode.STOPPED, "lab --docker: the container runs, but " + r.describe()
              + " (see " + plan.log() + ")");
        }
        return new Up(false, daemonPid, d, daemonStart, imported, started, since(t0), r);
      } catch (RuntimeException e) {
        leftovers.clear();
        throw e;
      }
    }
  }

  /**
   * Stops the daemon and everything it started, unmounts what it mounted, deletes its folder, and —
   * when the guest outlives it — its bridge and rules. Fine when there is nothing to remove.
   */
  public Duration down() {
    long t0 = System.nanoTime();
    if (!Files.exists(plan.runtimeDir())) {
      return since(t0);
    }
    requireRoot();
    boolean labRuntimeExisted = Files.isDirectory(labRuntime.dir());
    try (LabLock lock = LabLock.acquire(labRuntime)) {
      leftovers.clear();
      if (LabStateReader.exists(plan.netns())) {
        runner.run(plan.removalSteps());
      }
      leftovers.remove();
      if (!labRuntimeExisted) {
        // The lock made the lab's folder; with no lab around, nothing of it may stay.
        labRuntime.removeAll();
      }
    }
    return since(t0);
  }

  /** The lab's container as the daemon describes it now (its pid changes when the daemon restarts it). */
  public ContainerDetails container() {
    try (DockerClient c = DockerClient.open(host())) {
      return c.running(DockerLabPlan.CONTAINER);
    }
  }

  /** The running daemon's pid (see {@link DockerDaemonProcess#pid()}). */
  public Optional<Long> daemonPid() {
    return daemon.pid();
  }

  /** Makes {@code fault} (idempotent). */
  public void breakFault(DockerLabFault fault) {
    requireDaemon();
    try (LabLock lock = LabLock.acquire(labRuntime)) {
      if (fault.daemonOnBreak() == DockerLabFault.Daemon.RESTART_WITHOUT_IPTABLES) {
        if (daemon.managesIptables()) {
          restartDaemon(false, fault.breakSteps(plan));
        }
      } else {
        runner.run(fault.breakSteps(plan));
      }
    }
  }

  /** Undoes {@code fault} (idempotent; harmless when not in place). */
  public void heal(DockerLabFault fault) {
    requireDaemon();
    try (LabLock lock = LabLock.acquire(labRuntime)) {
      healLocked(fault);
    }
  }

  /** Heals every Docker fault. */
  public void healAll() {
    requireDaemon();
    try (LabLock lock = LabLock.acquire(labRuntime)) {
      for (DockerLabFault f : DockerLabFault.values()) {
        healLocked(f);
      }
    }
  }

  /** ICMP echoes from a thread in the container's namespace (its sandbox key) to the remote. */
  public Reachability reach(ContainerDetails d, int attempts, int timeoutMs) {
    Netns ns = d.netnsPath().map(Netns::ofPath).orElseGet(() -> Netns.ofPid(d.pid()));
    try (NetnsExecutor ex = NetnsExecutor.enter(ns)) {
      return ex.call(() -> {
        InetAddress dst = InetAddress.getByName(LabTopology.REMOTE);
        for (int i = 0; i < attempts; i++) {
          long t0 = System.nanoTime();
          if (dst.isReachable(timeoutMs)) {
            return new Reachability(d.name() + " eth0", LabTopology.REMOTE, true, (System.nanoTime() - t0) / 1000);
          }
        }
        return new Reachability(d.name() + " eth0", LabTopology.REMOTE, false, -1);
      });
    }
  }

  private void healLocked(DockerLabFault fault) {
    runner.run(fault.healSteps(plan));
    if (fault.daemonOnBreak() == DockerLabFault.Daemon.RESTART_WITHOUT_IPTABLES && !daemon.managesIptables()) {
      // The --iptables=false daemon left no rules of its own: a fresh start recreates all of them.
      restartDaemon(true, List.of());
    }
  }

  private void restartDaemon(boolean iptables, List<dev.layertrace.lab.LabStep> whileStopped) {
    // A stopped container makes the daemon's own stop quick (about 1 s instead of 11 s);
    // restart=always brings it back when the daemon starts again.
    Commands.run(List.of(DockerLabPlan.DOCKER, "-H", plan.dockerHost(), "stop", "-t", "0", DockerLabPlan.CONTAINER),
        null, TOOL);
    daemon.stop();
    runner.run(whileStopped);
    daemon.start(iptables);
    awaitContainer();
  }

  /** False for a daemon whose guest was deleted and rebuilt under it (an orphaned namespace). */
  private boolean inGuest(long pid) {
    try {
      return Netns.ofPid((int) pid).inode() == Netns.named(plan.netns()).inode();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void requireGuest() {
    if (!LabStateReader.exists(plan.netns())) {
      throw new LayertraceException(ExitCode.STOPPED, "the lab is not up (no namespace " + plan.netns()
          + "): run layertrace lab up");
    }
  }

  private static void requireRoot() {
    Privileges.require("to run dockerd inside the lab's guest namespace", Privileges.Capability.NET_ADMIN,
        Privileges.Capability.SYS_ADMIN);
  }

  private void requireDaemon() {
    requireRoot();
    requireGuest();
    if (daemon.pid().isEmpty()) {
      throw new LayertraceException(ExitCode.STOPPED, "the lab's dockerd is not running: run layertrace lab up --docker");
    }
  }

  private void importImage() {
    Commands.Result have = Commands.run(List.of(DockerLabPlan.DOCKER, "-H", plan.dockerHost(), "image", "inspect",
        "--format", "{{.Id}}", DockerLabPlan.IMAGE), null, TOOL);
    if (have.ok()) {
      return;
    }
    Path rootfs = plan.runtimeDir().resolve("rootfs");
    Path tarball = plan.runtimeDir().resolve("rootfs.tar");
    try {
      Files.createDirectories(rootfs.resolve("bin"));
      Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      for (String applet : DockerLabPlan.APPLETS) {
        Path link = rootfs.resolve("bin").resolve(applet);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of("busybox"));
      }
      Commands.run(List.of("tar", "-C", rootfs.toString(), "-cf", tarball.toString(), "."), null, TOOL).orThrow();
      docker(List.of("import", tarball.toString(), DockerLabPlan.IMAGE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the busybox rootfs in " + rootfs, e);
    } finally {
      DockerLabLeftovers.deleteTree(rootfs);
      try {
        Files.deleteIfExists(tarball);
      } catch (IOException e) {
        // removed with the runtime folder on down
      }
    }
  }

  private void docker(List<String> args) {
    List<String> argv = new ArrayList<>(List.of(DockerLabPlan.DOCKER, "-H", plan.dockerHost()));
    argv.addAll(args);
    Commands.Result r = Commands.run(argv, null, TOOL);
    if (!r.ok()) {
      throw new LayertraceException(ExitCode.INTERNAL, "lab --docker: 'docker " + String.join(" ", args)
          + "' failed: " + r.stderr().strip().lines().reduce((a, b) -> b).orElse("exit " + r.exitCode()));
    }
  }

  private ContainerDetails awaitContainer() {
    long deadline = System.nanoTime() + CONTAINER_START.toNanos();
    try (DockerClient c = DockerClient.open(host())) {
      while (true) {
        try {
          return c.running(DockerLabPlan.CONTAINER);
        } catch (LayertraceException e) {
          if (System.nanoTime() > deadline) {
            throw new LayertraceException(ExitCode.INTERNAL, "lab --docker: " + e.getMessage());
          }
        }
        DockerDaemonProcess.sleep(50);
      }
    }
  }

  private Reachability awaitPath(ContainerDetails d) {
    // As in lab up: the first packets through a fresh bridge and neighbour entries can be lost.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    Reachability r;
    do {
      r = reach(d, 1, 300);
    } while (!r.reached() && System.nanoTime() < deadline);
    return r;
  }

  private static Duration since(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0);
  }

}
