package dev.layertrace.lab;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the VMM relay has copied so far, as it writes it to its state file every half second.
 *
 * @param guestToHostFrames frames read from the guest NIC and written to the host tap
 * @param dropped frames read but not written (the other tap refused them, e.g. while it was down)
 * @param phase {@code starting}, {@code relaying}, or why it ended ({@code stopped}, {@code tap-gone})
 */
public record RelayCounters(
    long guestToHostFrames, long guestToHostBytes, long hostToGuestFrames, long hostToGuestBytes,
    long dropped, long updatedAtMillis, String phase) {

  /** The state file's text: {@code key=value} lines. */
  public String toText() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("phase", phase);
    m.put("guest_to_host_frames", guestToHostFrames);
    m.put("guest_to_host_bytes", guestToHostBytes);
    m.put("host_to_guest_frames", hostToGuestFrames);
    m.put("host_to_guest_bytes", hostToGuestBytes);
    m.put("dropped", dropped);
    m.put("updated_at_ms", updatedAtMillis);
    StringBuilder b = new StringBuilder();
    m.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    return b.toString();
  }

  /** Parses {@link #toText()}; missing or garbled numbers read as 0. */
  public static RelayCounters parse(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    text.lines().forEach(l -> {
      int eq = l.indexOf('=');
      if (eq > 0) {
        m.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
      }
    });
    return new RelayCounters(num(m, "guest_to_host_frames"), num(m, "guest_to_host_bytes"),
        num(m, "host_to_guest_frames"), num(m, "host_to_guest_bytes"), num(m, "dropped"),
        num(m, "updated_at_ms"), m.getOrDefault("phase", "unknown"));
  }

  private static long num(Map<String, String> m, String key) {
    try {
      return Long.parseLong(m.getOrDefault(key, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
