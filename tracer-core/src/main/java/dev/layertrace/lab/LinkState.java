package dev.layertrace.lab;

/**
 * One interface as seen in a namespace.
 *
 * @param kind {@code linkinfo.info_kind} ({@code veth}, {@code bridge}, {@code tun}), empty for lo
 * @param up administratively up (the {@code UP} flag)
 * @param carrier the lower layer is up ({@code LOWER_UP}); a tap has carrier only while a process holds it
 * @param operstate as the kernel reports it; changes a moment after the link does, so not in the digest
 */
public record LinkState(
    String name, String kind, boolean up, boolean carrier, int mtu, String master, String mac, String operstate) {

  /** The stable part, for the digest. */
  String canonical() {
    return "link " + name + " kind=" + kind + " " + (up ? "up" : "down") + " mtu=" + mtu
        + " master=" + (master == null ? "-" : master) + " mac=" + mac;
  }
}
