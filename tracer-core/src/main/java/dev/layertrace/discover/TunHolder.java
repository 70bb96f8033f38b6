package dev.layertrace.discover;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A process holding {@code /dev/net/tun} descriptors attached to tap devices (a VMM, or the lab relay).
 *
 * @param command the process name ({@code /proc/PID/comm}) or its command line
 * @param state the one-letter state from {@code /proc/PID/stat}: R, S, D, T (stopped), t, Z
 * @param taps the interface names its descriptors are attached to ({@code iff:} in fdinfo); tun
 *     fdinfo does not say in which namespace
 * @param vm what the VMM itself says about its VM (QEMU's monitor), or null when it was not asked
 * @param netnsInode the nsfs inode of the process's own network namespace (0: unknown): a VMM
 *     usually opens its tap in the namespace it runs in, which tells same-named taps apart
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TunHolder(int pid, String command, String state, List<String> taps, VmStatus vm, long netnsInode) {
  public TunHolder {
    taps = List.copyOf(taps);
  }

  public TunHolder(int pid, String command, String state, List<String> taps) {
    this(pid, command, state, taps, null, 0);
  }

  /** Stopped by a signal (nothing of it runs), or its VM is not running (its monitor says so). */
  public boolean stopped() {
    return signalStopped() || (vm != null && !vm.running());
  }

  public boolean signalStopped() {
    return "T".equals(state) || "t".equals(state);
  }
}
