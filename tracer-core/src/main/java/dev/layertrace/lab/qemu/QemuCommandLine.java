package dev.layertrace.lab.qemu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The QEMU command line of the lab's guest: machine type {@code microvm} under TCG, no display and no
 * default devices, the serial console to a file, virtio-mmio devices only — the NIC on a tap, 9p
 * shares, a virtio-serial control port — and the human monitor on a unix socket (for {@code stop}
 * and {@code cont}). There is deliberately no user-mode network ({@code -netdev user}): the tap in
 * the lab's host namespace is the guest's only way out.
 */
public final class QemuCommandLine {
  public static final String BINARY = "qemu-system-x86_64";

  private QemuCommandLine() {}

  /**
   * The guest kernel's command line. Under TCG on a busy host the kernel often cannot calibrate the
   * TSC against the PIT (microvm has no HPET or PM timer to fall back on) and then hung here right
   * after "Marking TSC unstable". Under TCG the guest's TSC is the host's, so its frequency is known:
   * given as {@code tsc_early_khz}, with the TSC trusted and the timer check skipped, the boot no longer
   * depends on how busy the host is.
   */
  public static String kernelArgs(Integer tscKhz) {
    String args = "console=ttyS0 panic=-1 loglevel=4";
    return tscKhz == null ? args : args + " tsc_early_khz=" + tscKhz + " tsc=reliable no_timer_check";
  }

  /**
   * The host's TSC frequency in kHz from {@code /proc/cpuinfo}: its "cpu MHz" when the CPU says the TSC
   * runs at a known, constant rate ({@code tsc_known_freq}, {@code constant_tsc}); otherwise null.
   */
  public static Integer tscKhz(String cpuinfo) {
    String flags = null;
    String mhz = null;
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).strip();
      if (key.equals("flags") && flags == null) {
        flags = " " + line.substring(colon + 1).strip() + " ";
      } else if (key.equals("cpu MHz") && mhz == null) {
        mhz = line.substring(colon + 1).strip();
      }
    }
    if (flags == null || mhz == null || !flags.contains(" constant_tsc ") || !flags.contains(" tsc_known_freq ")) {
      return null;
    }
    try {
      return (int) Math.round(Double.parseDouble(mhz) * 1000);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * {@code acpi=on}: Debian's kernels are built without {@code VIRTIO_MMIO_CMDLINE_DEVICES}, so the
   * {@code virtio_mmio.device=} parameters that microvm appends under {@code acpi=off} are ignored and
   * no virtio device is ever probed; with ACPI the devices are described in the DSDT and found.
   * TCG, not KVM: this machine kind's CPUs show no vmx/svm (no nested virtualisation) and a KVM guest
   * hangs at boot.
   */
  public static List<String> argv(String qemuBinary, QemuVmSpec vm) {
    List<String> a = new ArrayList<>(List.of(qemuBinary,
        "-name", "layertrace-lab-guest",
        "-M", "microvm,acpi=on",
        "-accel", "tcg",
        "-cpu", "max",
        "-m", Integer.toString(vm.memoryMib()),
        "-smp", Integer.toString(vm.cpus()),
        "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
        "-kernel", vm.kernel(),
        "-initrd", vm.initrd(),
        "-append", kernelArgs(vm.tscKhz()),
        "-chardev", "file,id=console,path=" + vm.consoleLog(),
        "-serial", "chardev:console",
        "-netdev", "tap,id=nic,ifname=" + vm.tap() + ",script=no,downscript=no",
        "-device", "virtio-net-device,netdev=nic,mac=" + vm.mac()));
    for (Map.Entry<String, String> s : vm.shares().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      a.addAll(List.of(
          "-fsdev", "local,id=fs-" + s.getKey() + ",path=" + s.getValue() + ",security_model=none,readonly=on",
          "-device", "virtio-9p-device,fsdev=fs-" + s.getKey() + ",mount_tag=" + s.getKey()));
    }
    a.addAll(List.of(
        "-device", "virtio-serial-device",
        "-chardev", "socket,id=control,path=" + vm.controlSocket() + ",server=on,wait=off",
        "-device", "virtserialport,chardev=control,name=" + GuestImageRecipe.CONTROL_PORT,
        "-monitor", "unix:" + vm.monitorSocket() + ",server=on,wait=off"));
    return List.copyOf(a);
  }
}
