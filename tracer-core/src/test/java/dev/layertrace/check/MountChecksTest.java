package dev.layertrace.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The mount checks on snapshots recorded in a private mount namespace and under ip netns exec. */
class MountChecksTest {

  @Test
  void unmountedCgroupIsMissingAndNamesDockersFailure() {
    DoctorReport report = DoctorReport.evaluate(DoctorFixtures.facts("no-cgroup-mount.json"));
    CheckResult cgroup = report.get("mounts.cgroup");
    assertThat(cgroup.status()).isEqualTo(CheckStatus.MISSING);
    assertThat(cgroup.evidence()).containsExactly("/proc/self/mountinfo: no cgroup filesystem mounted");
    assertThat(cgroup.why()).contains("Devices cgroup isn't mounted");
    assertThat(report.exitCode()).isEqualTo(1);
  }

  @Test
  void ipNetnsExecHidesTheCgroupMountsInitHas() {
    DoctorReport report = DoctorReport.evaluate(DoctorFixtures.facts("ip-netns-exec.json"));
    CheckResult hidden = report.get("mounts.hidden");
    assertThat(hidden.status()).isEqualTo(CheckStatus.WRONG);
    assertThat(hidden.evidence().get(0)).contains("/proc/1/mountinfo").contains("/sys/fs/cgroup/devices");
    assertThat(hidden.fix()).contains("nsenter --net=/run/netns/NAME");
    assertThat(report.get("mounts.cgroup").status()).isEqualTo(CheckStatus.MISSING);
    // /sys itself is there (remounted), only what was mounted below it is gone.
    assertThat(report.get("mounts.sys").status()).isEqualTo(CheckStatus.OK);
  }

  @Test
  void onThisMachineNothingIsHidden() {
    DoctorReport report = DoctorReport.evaluate(DoctorFixtures.facts("host.json"));
    assertThat(report.get("mounts.hidden").status()).isEqualTo(CheckStatus.OK);
    assertThat(report.get("mounts.cgroup").evidence())
        .containsExactly("/proc/self/mountinfo: cgroup v1 devices hierarchy on /sys/fs/cgroup/devices");
  }

  @Test
  void unreadableReferenceIsUnknownWithTheReason() {
    SystemFacts facts = DoctorFixtures.facts("host.json").withReferenceMounts(new FileFact("/proc/1/mountinfo",
        FileFact.Presence.DENIED, "", "Permission denied; no readable ancestor process in another mount namespace"));
    CheckResult r = DoctorReport.evaluate(facts).get("mounts.hidden");
    assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
    assertThat(r.evidence().get(0)).startsWith("permission denied reading /proc/1/mountinfo");
  }

  @Test
  void cgroupV2MountIsOk() {
    String mountinfo = "22 27 0:21 / /proc rw - proc proc rw\n31 23 0:28 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
    SystemFacts facts = DoctorFixtures.facts("host.json").withFiles(java.util.Map.of(
        FactPaths.MOUNTINFO, FileFact.present(FactPaths.MOUNTINFO, mountinfo),
        FactPaths.CGROUP2_CONTROLLERS, FileFact.present(FactPaths.CGROUP2_CONTROLLERS, "cpuset cpu io memory pids\n")));
    CheckResult r = new CgroupMountCheck().evaluate(facts);
    assertThat(r.status()).isEqualTo(CheckStatus.OK);
    assertThat(r.evidence()).contains("/proc/self/mountinfo: cgroup2 on /sys/fs/cgroup");
  }

  @Test
  void parsesMountinfoWithEscapesAndOptionalFields() {
    List<MountEntry> m = MountEntry.parseMountinfo(
        "45 27 254:0 /run/netns /run/netns rw,relatime shared:1 - ext4 /dev/vda rw,discard\n"
            + "36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices\n"
            + "50 27 0:40 / /mnt/with\\040space rw - tmpfs tmpfs rw\n"
            + "garbage\n");
    assertThat(m).extracting(MountEntry::mountPoint).containsExactly("/run/netns", "/sys/fs/cgroup/devices",
        "/mnt/with space");
    assertThat(m.get(0).fsType()).isEqualTo("ext4");
    assertThat(m.get(1).hasSuperOption("devices")).isTrue();
    assertThat(m.get(1).hasSuperOption("rw,devices")).isFalse();
  }
}
