package dev.layertrace.discover;

/**
 * What a VMM says about its VM, asked over its own control socket (QEMU's monitor or QMP). A process
 * can be running (state S) while its VM is paused: then it reads nothing from its tap and the guest's
 * kernel is frozen, agent and all.
 *
 * @param state the VMM's run state as it names it: {@code running}, {@code paused}, {@code suspended}, …
 * @param source where it was asked, e.g. {@code QEMU monitor /run/…/monitor.sock}
 */
public record VmStatus(String state, String source) {
  public VmStatus {
    java.util.Objects.requireNonNull(state, "state");
    java.util.Objects.requireNonNull(source, "source");
  }

  /** Every run state but {@code running} leaves the vCPUs and the NIC backend still. */
  public boolean running() {
    return "running".equals(state);
  }
}
