package dev.layertrace.discover;

/**
 * What a VMM says about its VM, asked over its own control socket (QEMU's monitor or QMP). A process
 * can be running (state S) while its VM is paused: then it reads nothing from its tap and the guest's
 * kernel is frozen, agent and all.
 *
 * @param state the VMM's run state as it names it: {@code running}, {@code paused}, {@code suspended}, …
 * @param via the socket it was asked on
 */
public record VmStatus(String state, QemuControlSocket via) {
  public VmStatus {
    java.util.Objects.requireNonNull(state, "state");
    java.util.Objects.requireNonNull(via, "via");
  }

  /** Every run state but {@code running} leaves the vCPUs and the NIC backend still. */
  public boolean running() {
    return "running".equals(state);
  }

  /** Where the state was asked, for evidence: {@code QEMU monitor /run/…/monitor.sock}. */
  public String source() {
    return (via.qmp() ? "QEMU QMP " : "QEMU monitor ") + via.socket();
  }

  /** How to resume the VM: {@code cont} on the same socket. */
  public String resumeCommand() {
    return via.qmp()
        ? "printf '%s\\n' '{\"execute\":\"qmp_capabilities\"}' '{\"execute\":\"cont\"}' | socat - UNIX-CONNECT:"
            + via.socket()
        : "echo cont | socat - UNIX-CONNECT:" + via.socket();
  }
}
