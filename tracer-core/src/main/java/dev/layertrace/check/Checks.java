package dev.layertrace.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Every check doctor runs, grouped by layer in the order the stack is built. */
public final class Checks {
  private Checks() {}

  /**
   * Loads and links every check's code (and the netfilter parser's JSON machinery) by evaluating the
   * catalog on an empty snapshot. Run it on another thread while the facts are being read: in a fresh
   * JVM class loading otherwise costs more than the evaluation itself.
   */
  public static void warmUp() {
    SystemFacts empty = new SystemFacts("", java.util.Map.of(), null, null, java.util.Map.of(
        FactPaths.CMD_NFT_RULESET, new CommandFact(java.util.List.of("nft"), 0, "{\"nftables\": []}", "", "")), null);
    DoctorReport.evaluate(empty);
    DoctorReportFormat.TEXT.render(DoctorReport.evaluate(empty, List.of()));
  }

  /** A fresh list of all checks. */
  public static List<Check> all() {
    List<Check> checks = new ArrayList<>();
    checks.add(new MountPointCheck("mounts.proc", "/proc", Set.of("proc"), false,
        "nothing that reads /proc works: dockerd, runc, ip netns", "mount -t proc proc /proc"));
    checks.add(new MountPointCheck("mounts.sys", "/sys", Set.of("sysfs"), false,
        "dockerd and runc cannot find cgroups or network devices", "mount -t sysfs sysfs /sys"));
    checks.add(new MountPointCheck("mounts.dev", "/dev", Set.of("devtmpfs", "tmpfs"), false,
        "runc cannot create the container's device nodes", "mount -t devtmpfs devtmpfs /dev"));
    checks.add(new MountPointCheck("mounts.dev_pts", "/dev/pts", Set.of("devpts"), false,
        "'docker run -t' fails: \"could not open pty\"", "mkdir -p /dev/pts && mount -t devpts devpts /dev/pts"));
    checks.add(new MountPointCheck("mounts.dev_shm", "/dev/shm", Set.of("tmpfs"), false,
        "programs using POSIX shared memory fail (shm_open: No such file or directory)",
        "mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm"));
    checks.add(new MountPointCheck("mounts.run", "/run", Set.of("tmpfs"), true,
        "dockerd and containerd cannot create their sockets and pid files under /run",
        "mkdir -p /run && mount -t tmpfs tmpfs /run"));
    checks.add(new CgroupMountCheck());
    checks.add(new HiddenMountsCheck());
    checks.add(new NatSupportCheck());
    checks.add(new BridgeNetfilterCheck());
    KernelFeatures.all().stream().map(KernelFeatureCheck::new).forEach(checks::add);
    checks.add(new IptablesBackendCheck());
    checks.add(new SplitBrainCheck());
    checks.add(new ForwardPolicyCheck());
    checks.add(new DockerChainsCheck());
    checks.add(new IpForwardCheck());
    checks.add(new BridgeNfCallCheck());
    checks.add(new RpFilterCheck());
    checks.add(new ConntrackTableCheck());
    checks.add(CharDeviceCheck.tun());
    checks.add(CharDeviceCheck.kvm());
    checks.add(new ResolvConfCheck());
    checks.add(new DockerSocketCheck());
    checks.add(new DockerIptablesSettingCheck());
    checks.add(new BridgeMtuCheck());
    checks.add(new TracefsCheck());
    checks.add(new PrivilegeCheck());
    return List.copyOf(checks);
  }
}
