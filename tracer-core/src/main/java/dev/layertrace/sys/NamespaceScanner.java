package dev.layertrace.sys;

import dev.layertrace.discover.NamespaceInventory;
import dev.layertrace.discover.NamespaceInventory.Origin;
import dev.layertrace.discover.NamespaceInventory.Reference;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists the host's network namespaces: {@code /run/netns/*}, Docker's {@code /var/run/docker/netns/*},
 * this process's own, and every readable {@code /proc/PID/ns/net}. An unreadable process (EACCES in a
 * sandbox, or gone) is skipped, not an error.
 */
public final class NamespaceScanner {
  private final Path runNetns;
  private final Path dockerNetns;
  private final Path proc;

  public NamespaceScanner() {
    this(Netns.RUN_NETNS, Path.of("/var/run/docker/netns"), Path.of("/proc"));
  }

  NamespaceScanner(Path runNetns, Path dockerNetns, Path proc) {
    this.runNetns = runNetns;
    this.dockerNetns = dockerNetns;
    this.proc = proc;
  }

  public NamespaceInventory scan() {
    List<Reference> refs = new ArrayList<>();
    files(runNetns, Origin.NAMED, refs);
    files(dockerNetns, Origin.DOCKER, refs);
    Path self = proc.resolve("self/ns/net");
    ProcReaders.inode(self).ifPresent(ino ->
        refs.add(new Reference(Origin.SELF, self.toString(), ino, "self", (int) ProcessHandle.current().pid())));
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (!ProcReaders.isPid(name)) {
          continue;
        }
        Path ns = p.resolve("ns/net");
        ProcReaders.inode(ns).ifPresent(ino ->
            refs.add(new Reference(Origin.PROCESS, ns.toString(), ino, "pid:" + name, Integer.parseInt(name))));
      }
    } catch (IOException e) {
      // no /proc listing: named namespaces still work
    }
    return NamespaceInventory.of(refs);
  }

  private static void files(Path dir, Origin origin, List<Reference> refs) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        // A name under /run/netns whose bind mount is gone has the inode of an empty file, not an nsfs one.
        if (Files.isRegularFile(p) && sizeIsZero(p)) {
          ProcReaders.inode(p).filter(ino -> isNsfs(p))
              .ifPresent(ino -> refs.add(new Reference(origin, p.toString(), ino, p.getFileName().toString(), 0)));
        }
      }
    } catch (IOException e) {
      // unreadable folder: nothing from it
    }
  }

  private static boolean sizeIsZero(Path p) {
    try {
      return Files.size(p) == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** nsfs files report device 0:4 (the nsfs pseudo device), not the device of /run. */
  private static boolean isNsfs(Path p) {
    try {
      Object dev = Files.getAttribute(p, "unix:dev");
      Object parentDev = Files.getAttribute(p.getParent(), "unix:dev");
      return !dev.equals(parentDev);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
