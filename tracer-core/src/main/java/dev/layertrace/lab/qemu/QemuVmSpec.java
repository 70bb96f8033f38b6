package dev.layertrace.lab.qemu;

import java.util.Map;
import java.util.Objects;

/**
 * One guest VM: its kernel and initramfs, size, the host tap its NIC is backed by, the folders it
 * gets read-only over virtio-9p (mount tag → host folder), and the sockets and log QEMU serves.
 *
 * @param tscKhz the host's TSC frequency, told to the guest kernel (null when unknown); see
 *     {@link QemuCommandLine#kernelArgs}
 */
public record QemuVmSpec(
    String kernel,
    String initrd,
    int memoryMib,
    int cpus,
    Integer tscKhz,
    String tap,
    String mac,
    Map<String, String> shares,
    String consoleLog,
    String controlSocket,
    String monitorSocket) {
  public QemuVmSpec {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(initrd, "initrd");
    Objects.requireNonNull(tap, "tap");
    Objects.requireNonNull(mac, "mac");
    shares = Map.copyOf(shares);
    Objects.requireNonNull(consoleLog, "consoleLog");
    Objects.requireNonNull(controlSocket, "controlSocket");
    Objects.requireNonNull(monitorSocket, "monitorSocket");
    if (memoryMib < 128 || cpus < 1) {
      throw new IllegalArgumentException("a guest needs at least 128 MiB and one CPU");
    }
  }
}
