package dev.layertrace.check;

import java.util.List;

/**
 * A character device node a VMM needs: {@code /dev/net/tun} (10:200) for tap devices, {@code /dev/kvm}
 * (10:232) for hardware virtualisation.
 *
 * @param device e.g. {@code char 10:200}
 */
public record CharDeviceCheck(String id, String path, String device, String why, String fix) implements Check {

  /** /dev/net/tun. */
  public static CharDeviceCheck tun() {
    return new CharDeviceCheck("devices.tun", FactPaths.TUN, "char 10:200",
        "a VMM cannot create the guest's tap device (open /dev/net/tun: No such file or directory)",
        "mkdir -p /dev/net && mknod /dev/net/tun c 10 200 && chmod 0666 /dev/net/tun");
  }

  /** /dev/kvm. */
  public static CharDeviceCheck kvm() {
    return new CharDeviceCheck("devices.kvm", FactPaths.KVM, "char 10:232",
        "Firecracker and Cloud Hypervisor cannot start a microVM (QEMU falls back to slow TCG)",
        "enable virtualisation (or nested virtualisation) for this machine and load kvm_intel/kvm_amd");
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.DEVICES;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    FileFact f = facts.file(path);
    if (f.absent()) {
      return result(CheckStatus.MISSING, List.of(f.evidence()), why, fix);
    }
    if (!f.present()) {
      return result(CheckStatus.UNKNOWN, List.of(f.evidence()), why, fix);
    }
    boolean right = f.value().equals(device);
    return result(right ? CheckStatus.OK : CheckStatus.WRONG,
        List.of(path + " is " + f.value() + (right ? "" : ", expected " + device)), why, fix);
  }
}
