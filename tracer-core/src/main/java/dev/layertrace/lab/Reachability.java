package dev.layertrace.lab;

/**
 * The end-to-end check of {@code lab status}: did an ICMP echo from the container get a reply?
 *
 * @param rttMicros the round trip, or -1 without a reply
 */
public record Reachability(String from, String to, boolean reached, long rttMicros) {
  public String describe() {
    return "ICMP echo " + from + " → " + to + (reached
        ? ": reply in " + String.format(java.util.Locale.ROOT, "%.2f", rttMicros / 1000.0) + " ms"
        : ": no reply");
  }
}
