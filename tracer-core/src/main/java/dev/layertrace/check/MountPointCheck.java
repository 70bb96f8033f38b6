package dev.layertrace.check;

import java.util.List;
import java.util.Set;

/**
 * A filesystem Docker or its runtime expects at a fixed place ({@code /proc}, {@code /sys},
 * {@code /dev}, {@code /dev/pts}, {@code /dev/shm}, {@code /run}).
 *
 * @param fsTypes the filesystem types that serve the purpose
 * @param directoryIsEnough true when a plain writable directory on the parent filesystem also works
 *     (e.g. {@code /run}: only the pid files and sockets go there)
 */
public record MountPointCheck(String id, String mountPoint, Set<String> fsTypes, boolean directoryIsEnough,
    String why, String fix) implements Check {

  public MountPointCheck {
    fsTypes = Set.copyOf(fsTypes);
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.MOUNTS;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    FileFact info = facts.file(FactPaths.MOUNTINFO);
    if (!info.present()) {
      return result(CheckStatus.UNKNOWN, List.of(info.evidence()), why, fix);
    }
    // The last entry for a mount point is the one on top (later mounts cover earlier ones).
    MountEntry top = null;
    for (MountEntry m : facts.mounts()) {
      if (m.mountPoint().equals(mountPoint)) {
        top = m;
      }
    }
    if (top != null && fsTypes.contains(top.fsType())) {
      return result(CheckStatus.OK, List.of(FactPaths.MOUNTINFO + ": " + top.fsType() + " on " + mountPoint), why, fix);
    }
    if (top != null) {
      return result(CheckStatus.WRONG, List.of(FactPaths.MOUNTINFO + ": " + top.fsType() + " on " + mountPoint
          + ", expected " + String.join(" or ", fsTypes.stream().sorted().toList())), why, fix);
    }
    if (directoryIsEnough) {
      FileFact dir = facts.file(mountPoint);
      if (dir.present()) {
        return result(CheckStatus.OK, List.of(FactPaths.MOUNTINFO + ": no mount on " + mountPoint
            + "; it is a directory on its parent filesystem (enough; not cleared at boot)"), why, fix);
      }
    }
    return result(CheckStatus.MISSING, List.of(FactPaths.MOUNTINFO + ": nothing mounted on " + mountPoint), why, fix);
  }
}
