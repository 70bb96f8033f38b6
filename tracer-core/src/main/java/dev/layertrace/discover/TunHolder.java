package dev.layertrace.discover;

import java.util.List;

/**
 * A process holding {@code /dev/net/tun} descriptors attached to tap devices (a VMM, or the lab relay).
 *
 * @param command the process name ({@code /proc/PID/comm}) or its command line
 * @param state the one-letter state from {@code /proc/PID/stat}: R, S, D, T (stopped), t, Z
 * @param taps the interface names its descriptors are attached to ({@code iff:} in fdinfo); tun
 *     fdinfo does not say in which namespace
 */
public record TunHolder(int pid, String command, String state, List<String> taps) {
  public TunHolder {
    taps = List.copyOf(taps);
  }

  public boolean stopped() {
    return "T".equals(state) || "t".equals(state);
  }
}
