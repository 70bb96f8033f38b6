package dev.layertrace.lab.qemu;

import java.util.List;
import java.util.Locale;

/**
 * The QEMU lab's state: the QEMU process, the host-side namespaces, whether the guest answers on its
 * control channel (and for how long it has been up), and whether the container reaches the remote.
 *
 * @param qemuPid the pidfile's pid, or null
 * @param qemuRunning true while that pid is this lab's QEMU
 * @param paused true while QEMU's monitor has the guest stopped (vmm-stalled)
 * @param guestUptimeSeconds the guest's uptime, or null when it did not answer
 * @param pathReached null when not tried (the guest did not answer)
 */
public record QemuLabStatus(Long qemuPid, boolean qemuRunning, boolean paused, List<String> hostNamespacesPresent,
    List<String> hostNamespacesExpected, Double guestUptimeSeconds, Boolean pathReached, String remote) {
  public QemuLabStatus {
    hostNamespacesPresent = List.copyOf(hostNamespacesPresent);
    hostNamespacesExpected = List.copyOf(hostNamespacesExpected);
  }

  /** True when QEMU runs, the host side is complete, the guest answers and the path works. */
  public boolean healthy() {
    return qemuRunning && !paused && hostNamespacesPresent.containsAll(hostNamespacesExpected) && guestUptimeSeconds != null
        && Boolean.TRUE.equals(pathReached);
  }

  /** True when there is nothing of the QEMU lab at all. */
  public boolean absent() {
    return qemuPid == null && hostNamespacesPresent.isEmpty();
  }

  public String text() {
    StringBuilder b = new StringBuilder();
    b.append("vmm      qemu (microvm, TCG)  ");
    if (qemuPid == null) {
      b.append("not started\n");
    } else {
      b.append(!qemuRunning ? "pid " + qemuPid + " is gone" : paused ? "paused (monitor: stop), pid " + qemuPid
          : "running, pid " + qemuPid).append('\n');
    }
    for (String ns : hostNamespacesExpected) {
      b.append(String.format(Locale.ROOT, "netns    %-20s %s%n", ns, hostNamespacesPresent.contains(ns) ? "present"
          : "missing"));
    }
    b.append("guest    ").append(guestUptimeSeconds == null ? "does not answer on its control channel"
        : String.format(Locale.ROOT, "answers, up %.1f s", guestUptimeSeconds)).append('\n');
    b.append("path     ").append(pathReached == null ? "not checked" : pathReached ? "container reaches " + remote
        : "container does not reach " + remote).append('\n');
    b.append(healthy() ? "healthy\n" : absent() ? "the QEMU lab is not up\n" : "not healthy\n");
    return b.toString();
  }
}
