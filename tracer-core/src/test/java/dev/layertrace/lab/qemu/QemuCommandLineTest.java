package dev.layertrace.lab.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {
  private static QemuVmSpec spec(Integer tsc) {
    return new QemuVmSpec("/c/vmlinuz", "/c/initrd.gz", 1024, 1, tsc, "tap0", "06:00:ac:10:00:02",
        Map.of("jdk", "/usr/lib/jvm/x", "layertrace", "/run/x/share"), "/run/x/console.log", "/run/x/control.sock",
        "/run/x/monitor.sock");
  }

  @Test
  void microvmWithAcpiUnderTcgAndTheTapAsTheOnlyNic() {
    List<String> a = QemuCommandLine.argv("/usr/bin/qemu-system-x86_64", spec(null));
    assertThat(a.get(0)).isEqualTo("/usr/bin/qemu-system-x86_64");
    assertThat(a).containsSequence("-M", "microvm,acpi=on").containsSequence("-accel", "tcg")
        .contains("-nodefaults", "-no-user-config", "-no-reboot")
        .containsSequence("-netdev", "tap,id=nic,ifname=tap0,script=no,downscript=no")
        .containsSequence("-device", "virtio-net-device,netdev=nic,mac=06:00:ac:10:00:02");
    // No user-mode network, no second NIC, no PCI devices.
    assertThat(a).noneMatch(x -> x.startsWith("user") || x.contains("-pci") || x.equals("-nic"));
    assertThat(a.stream().filter(x -> x.startsWith("tap,") || x.startsWith("user,") || x.startsWith("bridge,")))
        .hasSize(1);
  }

  @Test
  void sharesAreReadOnly9pAndTheControlPortIsNamed() {
    List<String> a = QemuCommandLine.argv("qemu-system-x86_64", spec(null));
    assertThat(a).containsSequence("-fsdev", "local,id=fs-jdk,path=/usr/lib/jvm/x,security_model=none,readonly=on",
        "-device", "virtio-9p-device,fsdev=fs-jdk,mount_tag=jdk");
    assertThat(a.stream().filter(x -> x.startsWith("local,"))).allMatch(x -> x.endsWith(",readonly=on")).hasSize(2);
    assertThat(a).contains("virtserialport,chardev=control,name=layertrace.control")
        .contains("socket,id=control,path=/run/x/control.sock,server=on,wait=off")
        .containsSequence("-monitor", "unix:/run/x/monitor.sock,server=on,wait=off");
  }

  @Test
  void theHostsTscFrequencyIsToldToTheGuestWhenKnown() {
    Integer khz = QemuCommandLine.tscKhz(Fixtures.text("cpuinfo.txt"));
    assertThat(khz).isEqualTo(2596130);
    assertThat(QemuCommandLine.argv("q", spec(khz)))
        .contains("console=ttyS0 panic=-1 loglevel=4 tsc_early_khz=2596130 tsc=reliable no_timer_check");
    assertThat(QemuCommandLine.kernelArgs(null)).isEqualTo("console=ttyS0 panic=-1 loglevel=4");
    // Without a known, constant TSC rate nothing is claimed.
    assertThat(QemuCommandLine.tscKhz(Fixtures.text("cpuinfo.txt").replace("tsc_known_freq", ""))).isNull();
  }
}
