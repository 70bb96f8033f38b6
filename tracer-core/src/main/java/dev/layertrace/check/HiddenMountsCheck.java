package dev.layertrace.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether this process's mount namespace hides mounts another process (init, or the nearest ancestor
 * in another mount namespace) has: {@code ip netns exec} remounts {@code /sys} in a private mount
 * namespace and the cgroup mounts under it vanish.
 */
public final class HiddenMountsCheck implements Check {
  private static final List<String> WATCHED = List.of("/proc", "/sys", "/dev", "/run");

  @Override
  public String id() {
    return "mounts.hidden";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.MOUNTS;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    String why = "a tool started here (dockerd, runc) does not see these mounts and fails although the"
        + " system has them, e.g. dockerd: \"" + CgroupMountCheck.V1_ERROR + "\" under 'ip netns exec'";
    String fix = "enter only the network namespace (nsenter --net=/run/netns/NAME CMD) instead of"
        + " 'ip netns exec', or mount them here (mount -t cgroup2 none /sys/fs/cgroup)";
    FileFact ref = facts.referenceMounts();
    FileFact own = facts.file(FactPaths.MOUNTINFO);
    if (!ref.present() || !own.present()) {
      return result(CheckStatus.UNKNOWN, List.of(ref.present() ? own.evidence() : ref.evidence()
          + (ref.detail().isEmpty() ? "" : " (" + ref.detail() + ")")), why, fix);
    }
    Set<String> ours = facts.mounts().stream().map(MountEntry::mountPoint).collect(Collectors.toSet());
    List<MountEntry> theirs = MountEntry.parseMountinfo(ref.content());
    List<String> hidden = new ArrayList<>();
    for (MountEntry m : theirs) {
      // nsfs bind mounts (/run/netns/NAME) come and go with 'ip netns add' and hide nothing a tool needs.
      boolean watched = !m.fsType().equals("nsfs")
          && WATCHED.stream().anyMatch(w -> m.mountPoint().equals(w) || m.mountPoint().startsWith(w + "/"));
      if (watched && !ours.contains(m.mountPoint()) && !hidden.contains(m.mountPoint())) {
        hidden.add(m.mountPoint());
      }
    }
    if (hidden.isEmpty()) {
      return result(CheckStatus.OK, List.of("every /proc, /sys, /dev and /run mount of " + ref.path()
          + " is also in " + FactPaths.MOUNTINFO), why, fix);
    }
    List<String> evidence = new ArrayList<>();
    evidence.add(hidden.size() + " mount(s) of " + ref.path() + " are not in " + FactPaths.MOUNTINFO + ": "
        + String.join(", ", hidden.subList(0, Math.min(12, hidden.size()))) + (hidden.size() > 12 ? ", ..." : ""));
    return result(CheckStatus.WRONG, evidence, why, fix);
  }
}
