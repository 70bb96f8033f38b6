package dev.layertrace.check;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code /sys/fs/cgroup}: either cgroup v2 mounted there with its controllers, or cgroup v1
 * hierarchies including {@code devices} (dockerd refuses to start with "Devices cgroup isn't mounted").
 */
public final class CgroupMountCheck implements Check {
  static final String V1_ERROR = "Devices cgroup isn't mounted";
  static final String V2_ERROR = "cgroups: cgroup mountpoint does not exist";

  @Override
  public String id() {
    return "mounts.cgroup";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.MOUNTS;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    String fix = "mount -t cgroup2 none /sys/fs/cgroup (or, for cgroup v1: mount -t tmpfs cgroup /sys/fs/cgroup;"
        + " mkdir /sys/fs/cgroup/devices; mount -t cgroup -o devices cgroup /sys/fs/cgroup/devices);"
        + " under 'ip netns exec' (which remounts /sys) use 'nsenter --net=/run/netns/NAME' instead";
    String why = "dockerd refuses to start: \"" + V1_ERROR + "\" (cgroup v1), or containers fail with \""
        + V2_ERROR + "\" (cgroup v2)";
    FileFact info = facts.file(FactPaths.MOUNTINFO);
    if (!info.present()) {
      return result(CheckStatus.UNKNOWN, List.of(info.evidence()), why, fix);
    }
    List<MountEntry> mounts = facts.mounts();
    List<String> evidence = new ArrayList<>();
    MountEntry v2 = null;
    MountEntry devices = null;
    for (MountEntry m : mounts) {
      if (m.fsType().equals("cgroup2") && m.mountPoint().equals("/sys/fs/cgroup")) {
        v2 = m;
      }
      if (m.fsType().equals("cgroup") && m.hasSuperOption("devices")) {
        devices = m;
      }
    }
    if (devices != null) {
      evidence.add(FactPaths.MOUNTINFO + ": cgroup v1 devices hierarchy on " + devices.mountPoint());
      return result(CheckStatus.OK, evidence, why, fix);
    }
    if (v2 != null) {
      FileFact controllers = facts.file(FactPaths.CGROUP2_CONTROLLERS);
      evidence.add(FactPaths.MOUNTINFO + ": cgroup2 on /sys/fs/cgroup");
      evidence.add(controllers.evidence());
      if (controllers.present() && !controllers.value().contains("pids")) {
        return result(CheckStatus.WRONG, evidence, "containers fail to start: the pids and memory controllers"
            + " are not enabled in the cgroup v2 root", "enable them: echo '+pids +memory +cpu' >"
            + " /sys/fs/cgroup/cgroup.subtree_control");
      }
      return result(CheckStatus.OK, evidence, why, fix);
    }
    boolean anyCgroup = mounts.stream().anyMatch(m -> m.fsType().startsWith("cgroup"));
    evidence.add(FactPaths.MOUNTINFO + ": " + (anyCgroup ? "no cgroup v1 devices hierarchy and no cgroup2 on"
        + " /sys/fs/cgroup" : "no cgroup filesystem mounted"));
    mounts.stream().filter(m -> m.mountPoint().equals("/sys/fs/cgroup")).reduce((a, b) -> b)
        .ifPresent(m -> evidence.add(FactPaths.MOUNTINFO + ": " + m.fsType() + " on /sys/fs/cgroup"));
    return result(CheckStatus.MISSING, evidence, why, fix);
  }
}
