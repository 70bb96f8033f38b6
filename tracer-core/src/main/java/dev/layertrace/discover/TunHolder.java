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
 * @param tapNetns for each of {@code taps}, the inode of the namespace the device is in, as the
 *     kernel says (TUNGETDEVNETNS); 0 where unknown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TunHolder(int pid, String command, String state, List<String> taps, VmStatus vm, long netnsInode,
    List<Long> tapNetns) {
  public TunHolder {
    taps = List.copyOf(taps);
    // Recordings from before tapNetns existed: unknown for every tap.
    tapNetns = tapNetns == null || tapNetns.size() != taps.size()
        ? java.util.Collections.nCopies(taps.size(), 0L) : List.copyOf(tapNetns);
  }

  public TunHolder(int pid, String command, String state, List<String> taps) {
    this(pid, command, state, taps, null, 0, null);
  }

  public TunHolder(int pid, String command, String state, List<String> taps, VmStatus vm, long netnsInode) {
    this(pid, command, state, taps, vm, netnsInode, null);
  }

  /**
   * Whether this process holds a tap named {@code tap} in the namespace of inode {@code netns}: by
   * name, unless the kernel told this tap's namespace and it is another one.
   */
  public boolean holds(String tap, long netns) {
    for (int i = 0; i < taps.size(); i++) {
      if (taps.get(i).equals(tap) && (tapNetns.get(i) == 0 || netns == 0 || tapNetns.get(i) == netns)) {
        return true;
      }
    }
    return false;
  }

  /** The inode of the namespace the kernel says {@code tap} is in; 0 when unknown. */
  public long namespaceOf(String tap) {
    int i = taps.indexOf(tap);
    return i < 0 ? 0 : tapNetns.get(i);
  }

  /** Stopped by a signal (nothing of it runs), or its VM is not running (its monitor says so). */
  public boolean stopped() {
    return signalStopped() || (vm != null && !vm.running());
  }

  public boolean signalStopped() {
    return "T".equals(state) || "t".equals(state);
  }
}
