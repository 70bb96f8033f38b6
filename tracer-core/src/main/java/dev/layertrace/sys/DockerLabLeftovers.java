package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.lab.DockerLabPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Everything the lab's dockerd leaves on the system and how it goes: its runtime folder, the files it
 * makes outside it ({@code /etc/docker/key.json}, {@code /run/docker} — removed only when the lab's
 * daemon made them), the containers' cgroups, and after a killed daemon its containerd, shims,
 * container processes and mounts. Processes are matched by our exec-root on their command line or by
 * living in one of our sandboxes, never by name.
 */
final class DockerLabLeftovers {
  private static final Duration TOOL = Duration.ofSeconds(60);
  /** Files the daemon makes outside its folders; removed on down only when the lab's daemon made them. */
  private static final Path TRUST_KEY = Path.of("/etc/docker/key.json");
  private static final Path PLUGINS_RUN = Path.of("/run/docker");

  private final DockerLabPlan plan;
  private final DockerDaemonProcess daemon;

  DockerLabLeftovers(DockerLabPlan plan, DockerDaemonProcess daemon) {
    this.plan = plan;
    this.daemon = daemon;
  }

  void create() {
    try {
      Files.createDirectories(plan.runtimeDir());
      // Remember what the daemon will create outside its folders, so down removes only that.
      if (!Files.exists(TRUST_KEY)) {
        Files.writeString(plan.runtimeDir().resolve("owns-trust-key"), TRUST_KEY + "\n");
      }
      if (!Files.exists(PLUGINS_RUN)) {
        Files.writeString(plan.runtimeDir().resolve("owns-run-docker"), PLUGINS_RUN + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + plan.runtimeDir(), e);
    }
  }

  /** Containers removed, the daemon stopped, its helpers and containers ended, its mounts undone. */
  void clear() {
    Set<Long> sandboxInodes = sandboxInodes();
    if (daemon.pid().isPresent() && Files.exists(plan.socket())) {
      // Killing the containers first spares the daemon's graceful stop of each.
      Commands.run(List.of("sh", "-c", DockerLabPlan.DOCKER + " -H " + plan.dockerHost()
          + " ps -aq | xargs -r " + DockerLabPlan.DOCKER + " -H " + plan.dockerHost() + " rm -f"), null, TOOL);
    }
    daemon.stop();
    // What a killed daemon leaves: containerd, shims and container processes. Ours name our
    // exec-root on their command line, or live in one of our sandboxes.
    for (ProcessHandle h : ProcessHandle.allProcesses().toList()) {
      long pid = h.pid();
      if (pid == ProcessHandle.current().pid()) {
        continue;
      }
      boolean ours = DockerDaemonProcess.cmdline(pid).map(plan::isOurHelper).orElse(false)
          || !sandboxInodes.isEmpty() && netnsInode(pid).map(sandboxInodes::contains).orElse(false);
      if (ours) {
        h.destroyForcibly();
        DockerDaemonProcess.waitGone(h, Duration.ofSeconds(2));
      }
    }
    unmountAll();
  }

  /**
   * The inodes of the network namespaces bind-mounted under our exec-root (the containers'
   * sandboxes); only real nsfs mounts count, never a plain file left behind.
   */
  private Set<Long> sandboxInodes() {
    Set<Long> inodes = new HashSet<>();
    for (String mp : mountsUnder(plan.execRoot(), "nsfs")) {
      try {
        inodes.add(Netns.ofPath(Path.of(mp)).inode());
      } catch (RuntimeException e) {
        // gone meanwhile: nothing lives in it
      }
    }
    return inodes;
  }

  private static Optional<Long> netnsInode(long pid) {
    try {
      return Optional.of(Netns.ofPid((int) pid).inode());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Every mount at or under the runtime folder, deepest first, detached ({@code umount -l} as a last resort). */
  private void unmountAll() {
    List<String> points = mountsUnder(plan.runtimeDir(), null);
    points.sort(Comparator.comparingInt(String::length).reversed());
    for (String mp : points) {
      if (!Commands.run(List.of("umount", mp), null, TOOL).ok()) {
        Commands.run(List.of("umount", "-l", mp), null, TOOL);
      }
    }
  }

  /** Mount points at or under {@code dir} in /proc/self/mountinfo, of file system {@code fsType} (null: any). */
  private static List<String> mountsUnder(Path dir, String fsType) {
    String root = dir.toString();
    List<String> points = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] f = line.split(" ");
        int dash = List.of(f).indexOf("-");
        if (f.length > 4 && dash > 0 && dash + 1 < f.length) {
          String mp = unescape(f[4]);
          if ((mp.equals(root) || mp.startsWith(root + "/")) && (fsType == null || fsType.equals(f[dash + 1]))) {
            points.add(mp);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
    }
    return points;
  }

  private static String unescape(String s) {
    return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
  }

  void remove() {
    Path dir = plan.runtimeDir();
    try {
      if (Files.exists(dir.resolve("owns-trust-key"))) {
        Files.deleteIfExists(TRUST_KEY);
      }
      if (Files.exists(dir.resolve("owns-run-docker"))) {
        deleteTree(PLUGINS_RUN);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove what dockerd left", e);
    }
    deleteTree(dir);
    removeCgroups();
    Path parent = dir.getParent();
    // /run/layertrace is shared with the lab and other parts of the tool: removed only when empty.
    try (Stream<Path> rest = parent == null ? Stream.empty() : Files.list(parent)) {
      if (parent != null && parent.getFileName().toString().equals("layertrace") && rest.findAny().isEmpty()) {
        Files.deleteIfExists(parent);
      }
    } catch (IOException e) {
      // someone else uses it
    }
  }

  /**
   * The containers' parent cgroup in each hierarchy ({@code rmdir}: only an empty cgroup goes, so
   * one that still holds a process is left and reported by the next down).
   */
  private void removeCgroups() {
    Path fs = Path.of("/sys/fs/cgroup");
    List<Path> candidates = new ArrayList<>(List.of(fs.resolve(plan.cgroupParent())));
    try (Stream<Path> hierarchies = Files.isDirectory(fs) ? Files.list(fs) : Stream.empty()) {
      hierarchies.forEach(h -> candidates.add(h.resolve(plan.cgroupParent())));
    } catch (IOException e) {
      // no cgroup file system to clean
    }
    for (Path c : candidates) {
      if (!Files.isDirectory(c, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      // A killed container's cgroup can outlive it (runc removes it only on a clean exit): child
      // cgroups first. cgroupfs directories hold only control files, which rmdir takes along.
      try (Stream<Path> tree = Files.walk(c)) {
        for (Path d : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(d);
        }
      } catch (IOException e) {
        throw new LayertraceException(ExitCode.INTERNAL, "cannot remove the cgroup " + c + " (a process is still in"
            + " it?): " + e.getMessage());
      }
    }
  }

  /** Deletes a tree without following symlinks (the rootfs links to busybox). */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
