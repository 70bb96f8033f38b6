package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabStep;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.lab.qemu.GuestBootLog;
import dev.layertrace.lab.qemu.GuestControlProtocol;
import dev.layertrace.lab.qemu.QemuCommandLine;
import dev.layertrace.lab.qemu.QemuLabPlan;
import dev.layertrace.lab.qemu.QemuLabStatus;
import dev.layertrace.lab.qemu.QemuVmSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The lab with a real second kernel: lt-host and lt-inet on this host as in the namespace lab, and in
 * place of the relay and lt-guest a QEMU microVM whose virtio-net NIC is backed by lt-host's
 * {@code tap0}. The guest's init builds lt-ctr, the veth, docker0 and Docker's rules inside the guest
 * kernel. The host's JDK and layertrace's classpath are shared read-only over virtio-9p, so
 * {@code layertrace} runs inside the guest ({@link #guestRun}).
 *
 * <p>It shares the namespace lab's lock and names: only one of the two is up at a time.
 */
@SuppressWarnings("try") // the try-with-resources blocks hold the lab lock
public final class QemuLab {
  /** The guest's size: the JVM inside wants some room; TCG makes more CPUs of little use. */
  public static final int MEMORY_MIB = 1024;
  public static final int CPUS = 1;
  /** The guest's main class of layertrace (the CLI; tracer-core does not link it). */
  public static final String GUEST_MAIN = "dev.layertrace.cli.Main";
  /** Where the guest mounts the lab's share. */
  static final String GUEST_SHARE = "/mnt/layertrace";
  private static final Duration BOOT_LIMIT = Duration.ofSeconds(120);
  private static final Duration PATH_LIMIT = Duration.ofSeconds(30);

  private final QemuLabPlan plan;
  private final LabRuntime runtime;
  private final Path dir;
  private final QemuProcess qemu;
  private final QemuImageBuilder images;
  private final Path jdkHome;
  private final List<Path> guestClasspath;
  private final LabStepRunner runner = new LabStepRunner(s -> {
    throw LayertraceException.usage("the QEMU lab has no relay to signal");
  });

  /**
   * @param runtime the lab's runtime folder (its lock is shared with the namespace lab of the same
   *     folder); QEMU's own files go to a sibling folder {@code NAME-qemu}
   * @param jdkHome the JDK the guest runs (shared read-only)
   * @param guestClasspath layertrace's classpath (jars and class folders), copied into the share
   */
  public QemuLab(LabTopology topology, LabRuntime runtime, Path imageCache, Path jdkHome, List<Path> guestClasspath) {
    this.plan = new QemuLabPlan(topology);
    this.runtime = runtime;
    this.dir = runtime.dir().resolveSibling(runtime.dir().getFileName() + "-qemu");
    this.qemu = new QemuProcess(dir);
    this.images = new QemuImageBuilder(imageCache);
    this.jdkHome = jdkHome;
    this.guestClasspath = List.copyOf(guestClasspath);
  }

  /** The standard lab's names, this JVM's JDK and classpath. */
  public static QemuLab standard() {
    return new QemuLab(LabTopology.standard(), LabRuntime.standard(), QemuImageBuilder.CACHE,
        Path.of(System.getProperty("java.home")), currentClasspath());
  }

  /** This JVM's classpath entries. */
  public static List<Path> currentClasspath() {
    List<Path> cp = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!e.isEmpty() && Files.exists(Path.of(e))) {
        cp.add(Path.of(e).toAbsolutePath());
      }
    }
    return cp;
  }

  /** The host folder the guest sees read-only at {@value #GUEST_SHARE} (to hand the guest a file). */
  public Path share() {
    return dir.resolve("share");
  }

  /** Where the guest sees {@link #share()}. */
  public static String guestShare() {
    return GUEST_SHARE;
  }

  public LabTopology topology() {
    return plan.topology();
  }

  public QemuProcess process() {
    return qemu;
  }

  /** What {@link #up()} did and how long each part took. */
  public record UpResult(boolean alreadyUp, Duration took, long qemuPid, QemuImageBuilder.GuestImage image,
      Map<String, Double> guestMilestones, Duration untilGuestAnswered, Duration untilPathAnswered) {}

  /**
   * Builds the image (or takes it from the cache), the host side, starts QEMU in lt-host and waits
   * until the guest answers and its container reaches the remote. An intact QEMU lab is left as it is.
   */
  public UpResult up() {
    long t0 = System.nanoTime();
    requireRoot();
    LabStepRunner.requireTools();
    String qemuBinary = Commands.require(QemuCommandLine.BINARY, "qemu-system-x86").toString();
    Commands.require("nsenter", "util-linux");
    try (LabLock lock = LabLock.acquire(runtime)) {
      if (LabStateReader.exists(topology().guest()) || new RelayProcess(runtime).pid().isPresent()) {
        throw LayertraceException.usage("the namespace lab is up (" + topology().guest() + " exists):"
            + " run layertrace lab down first");
      }
      if (complete()) {
        return new UpResult(true, Duration.ofNanos(System.nanoTime() - t0), qemu.pid().orElse(-1L), null, Map.of(),
            null, null);
      }
      removeEverything();
      QemuImageBuilder.GuestImage image = images.build(jdkHome);
      long pid;
      long started;
      try {
        Path share = prepareShare();
        runner.run(plan.hostSteps());
        QemuVmSpec spec = new QemuVmSpec(image.kernel().toString(), image.initrd().toString(), MEMORY_MIB, CPUS,
            QemuCommandLine.tscKhz(readQuietly(Path.of("/proc/cpuinfo"))), "tap0", guestMac(), Map.of("layertrace", share.toString(), "jdk", jdkHome.toString()),
            qemu.consoleLog().toString(), qemu.controlSocket().toString(), qemu.monitorSocket().toString());
        started = System.nanoTime();
        pid = qemu.start(QemuCommandLine.argv(qemuBinary, spec), topology().host());
      } catch (RuntimeException e) {
        removeEverything();
        throw e;
      }
      Duration answered;
      Duration reached = null;
      try (QemuGuestControl control = connect(pid)) {
        GuestControlProtocol.Answer ready = control.run("echo ready", BOOT_LIMIT);
        answered = Duration.ofNanos(System.nanoTime() - started);
        if (!ready.ok()) {
          throw new LayertraceException(ExitCode.INTERNAL, "the guest answered, but not as expected: " + ready.output());
        }
        long deadline = System.nanoTime() + PATH_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
          if (control.run(pingScript(1), Duration.ofSeconds(5)).ok()) {
            reached = Duration.ofNanos(System.nanoTime() - started);
            break;
          }
        }
      } catch (LayertraceException e) {
        if (!qemu.state().equals(QemuProcess.State.RUNNING)) {
          String why = qemu.logTail();
          removeEverything();
          throw new LayertraceException(ExitCode.INTERNAL, "QEMU ended while the guest booted" + (why.isEmpty() ? ""
              : ": " + why) + " (console: " + qemu.consoleLog() + ")");
        }
        throw e;
      }
      Map<String, Double> milestones = GuestBootLog.milestones(readQuietly(qemu.consoleLog()));
      if (reached == null) {
        // Built completely: left in place so that lab status and the console log show what does not answer.
        throw new LayertraceException(ExitCode.STOPPED, "lab: the QEMU guest is up, but its container does not reach "
            + LabTopology.REMOTE + " — see layertrace lab status and " + qemu.consoleLog());
      }
      return new UpResult(false, Duration.ofNanos(System.nanoTime() - t0), pid, image, milestones, answered, reached);
    }
  }

  /** Stops QEMU (by its pid only) and removes the host namespaces and every runtime file; idempotent. */
  public Duration down() {
    long t0 = System.nanoTime();
    requireRoot();
    if (!Files.exists(dir)) {
      return Duration.ofNanos(System.nanoTime() - t0); // no QEMU lab: the namespace lab's down removes the rest
    }
    try (LabLock lock = LabLock.acquire(runtime)) {
      removeEverything();
      if (!LabStateReader.exists(topology().guest())) {
        runtime.removeAll();
      }
    }
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  /** True when this lab's QEMU has been started (its runtime folder exists). */
  public boolean present() {
    return Files.exists(dir);
  }

  public QemuLabStatus status() {
    requireRoot();
    List<String> present = plan.hostNamespaces().stream().filter(LabStateReader::exists).toList();
    boolean running = qemu.state() == QemuProcess.State.RUNNING;
    Double uptime = null;
    Boolean reached = null;
    boolean paused = false;
    if (running) {
      try {
        paused = paused();
      } catch (LayertraceException e) {
        // no monitor: reported through the control channel's silence
      }
    }
    if (running && !paused && Files.exists(qemu.controlSocket())) {
      try (QemuGuestControl control = QemuGuestControl.connect(qemu.controlSocket(), Duration.ofSeconds(2))) {
        GuestControlProtocol.Answer a = control.run("cut -d' ' -f1 /proc/uptime", Duration.ofSeconds(5));
        uptime = a.ok() ? Double.parseDouble(a.output().strip()) : null;
        reached = control.run(pingScript(2), Duration.ofSeconds(5)).ok();
      } catch (LayertraceException | NumberFormatException e) {
        // reported as "does not answer"
      }
    }
    return new QemuLabStatus(qemu.pid().orElse(null), running, paused, present, plan.hostNamespaces(), uptime,
        reached, LabTopology.REMOTE);
  }

  /**
   * Freezes the guest (the monitor's {@code stop}): vCPUs and the virtio-net backend halt, the tap stays
   * up and nothing reads it — the lab's {@code vmm-stalled}. {@link #resume()} undoes it.
   */
  public void pause() {
    QemuMonitor.command(qemu.monitorSocket(), "stop", Duration.ofSeconds(5));
  }

  /** Lets a paused guest run again (the monitor's {@code cont}). */
  public void resume() {
    QemuMonitor.command(qemu.monitorSocket(), "cont", Duration.ofSeconds(5));
  }

  /** True while the guest is paused ({@code info status} says so). */
  public boolean paused() {
    return QemuMonitor.command(qemu.monitorSocket(), "info status", Duration.ofSeconds(5)).contains("paused");
  }

  /** Makes {@code fault} across the two kernels (see {@link #apply}). */
  public void breakFault(LabFault fault) {
    apply(fault.breakSteps(topology()));
  }

  /** Undoes {@code fault}. */
  public void heal(LabFault fault) {
    apply(fault.healSteps(topology()));
  }

  /**
   * Runs a fault's steps where they belong: steps in lt-ctr or lt-guest inside the guest kernel
   * (through the control channel, the command line as the namespace lab would run it), steps in
   * lt-host or lt-inet on this host, and the relay's STOP/CONT as the monitor's {@code stop}/{@code cont}.
   */
  void apply(List<LabStep> steps) {
    List<String> guestNs = List.of(topology().ctr(), topology().guest());
    try (LabLock lock = LabLock.acquire(runtime)) {
      for (LabStep step : steps) {
        if (step instanceof LabStep.SignalRelay s) {
          if (s.signal() == LabStep.RelaySignal.STOP) {
            pause();
          } else {
            resume();
          }
        } else if (step instanceof LabStep.Exec e && e.netns() != null && guestNs.contains(e.netns())) {
          GuestControlProtocol.Answer a = guestRun(QemuLabPlan.command(e), Duration.ofSeconds(20));
          if (!a.ok() && !e.mayFail()) {
            throw new LayertraceException(ExitCode.INTERNAL, "lab: '" + e.display() + "' in the guest failed: "
                + a.output().strip());
          }
        } else {
          runner.run(List.of(step));
        }
      }
    }
  }

  /** Runs {@code script} with sh inside the guest; {@code layertrace} is on the guest's PATH. */
  public GuestControlProtocol.Answer guestRun(String script, Duration limit) {
    try (QemuGuestControl control = QemuGuestControl.connect(qemu.controlSocket(), Duration.ofSeconds(5))) {
      return control.run(script, limit);
    }
  }

  /** {@code ping} from the guest's container namespace to the remote. */
  public String pingScript(int count) {
    return "ip netns exec " + topology().ctr() + " ping -c " + count + " -W 1 " + LabTopology.REMOTE;
  }

  private QemuGuestControl connect(long pid) {
    try {
      return QemuGuestControl.connect(qemu.controlSocket(), Duration.ofSeconds(15));
    } catch (LayertraceException e) {
      String why = qemu.logTail();
      removeEverything();
      throw new LayertraceException(ExitCode.INTERNAL, "QEMU (pid " + pid + ") did not start" + (why.isEmpty() ? ""
          : ": " + why));
    }
  }

  private boolean complete() {
    return qemu.state() == QemuProcess.State.RUNNING && plan.hostNamespaces().stream().allMatch(LabStateReader::exists);
  }

  private void removeEverything() {
    qemu.stop(3000);
    List<String> present = plan.hostNamespaces().stream().filter(LabStateReader::exists).toList();
    if (!present.isEmpty()) {
      StringBuilder batch = new StringBuilder();
      present.forEach(ns -> batch.append("netns delete ").append(ns).append('\n'));
      Commands.run(List.of("ip", "-force", "-batch", "-"), batch.toString(), Duration.ofSeconds(10));
    }
    QemuImageBuilder.deleteTree(dir);
  }

  /**
   * The folder the guest mounts at {@value #GUEST_SHARE}: the guest side's lab script, the JDK's
   * location, a copy of layertrace's classpath and a {@code bin/layertrace} launcher.
   */
  private Path prepareShare() {
    Path share = dir.resolve("share");
    try {
      Files.createDirectories(share.resolve("bin"));
      Files.createDirectories(share.resolve("cp"));
      Files.writeString(share.resolve("lab.sh"), plan.guestScript());
      Files.writeString(share.resolve("guest.env"), "LT_JDK=" + jdkHome + "\n");
      List<String> guestCp = new ArrayList<>();
      int n = 0;
      for (Path entry : guestClasspath) {
        String name = String.format("%03d-%s", n++, entry.getFileName());
        copyTree(entry, share.resolve("cp").resolve(name));
        guestCp.add(GUEST_SHARE + "/cp/" + name);
      }
      // C1 only and the serial collector: under TCG the JVM's start dominates a short command.
      Path launcher = share.resolve("bin/layertrace");
      Files.writeString(launcher, "#!/bin/sh\nexec " + jdkHome + "/bin/java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
          + " -Xshare:auto -cp " + String.join(":", guestCp) + " " + GUEST_MAIN + " \"$@\"\n");
      launcher.toFile().setExecutable(true, false);
      return share;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the guest's share in " + share, e);
    }
  }

  private static void copyTree(Path source, Path target) throws IOException {
    if (Files.isRegularFile(source)) {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    try (Stream<Path> all = Files.walk(source)) {
      for (Path p : all.toList()) {
        Path t = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private String guestMac() {
    return topology().links().stream().filter(l -> l.netns().equals(topology().guest()) && l.name().equals("eth0"))
        .findFirst().orElseThrow().mac();
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }

  private static void requireRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:") && !line.split("\\s+")[2].equals("0")) {
          throw LayertraceException.missingPrivilege("CAP_NET_ADMIN and CAP_SYS_ADMIN",
              "to create network namespaces and a tap for the QEMU lab");
        }
      }
    } catch (IOException e) {
      // /proc unreadable: let the tools report what is missing
    }
  }
}
