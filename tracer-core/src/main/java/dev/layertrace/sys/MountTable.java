package dev.layertrace.sys;

import dev.layertrace.check.FileFact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads this process's mount table and a reference one to compare it with: init's
 * ({@code /proc/1/mountinfo}) when readable, else the nearest ancestor process in another mount
 * namespace (under {@code ip netns exec} or {@code unshare -m}, the process that started us).
 */
public final class MountTable {
  private static final int MAX_ANCESTORS = 16;

  private MountTable() {}

  /** Our own {@code /proc/self/mountinfo}. */
  public static FileFact own() {
    return FactFiles.read("/proc/self/mountinfo");
  }

  /** The reference mount table, or a fact saying why none could be read (status unknown, not failure). */
  public static FileFact reference() {
    FileFact init = FactFiles.read("/proc/1/mountinfo");
    if (init.present()) {
      return init;
    }
    Optional<String> ownNs = nsLink("self");
    int pid = parentOf("self");
    for (int i = 0; i < MAX_ANCESTORS && pid > 1; i++) {
      Optional<String> ns = nsLink(Integer.toString(pid));
      if (ns.isPresent() && ownNs.isPresent() && !ns.equals(ownNs)) {
        FileFact f = FactFiles.read("/proc/" + pid + "/mountinfo");
        if (f.present()) {
          return f;
        }
      }
      pid = parentOf(Integer.toString(pid));
    }
    return new FileFact(init.path(), init.presence(), "", init.detail()
        + "; no readable ancestor process in another mount namespace");
  }

  private static Optional<String> nsLink(String pid) {
    try {
      return Optional.of(Files.readSymbolicLink(Path.of("/proc", pid, "ns", "mnt")).toString());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int parentOf(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      // The command name may contain spaces and parentheses: fields start after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Integer.parseInt(f[1]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
