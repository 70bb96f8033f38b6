package dev.layertrace.state;

import java.util.regex.Pattern;

/**
 * Removes what changes by itself from the tools' output, so two readings of an untouched system are
 * equal: packet and byte counters, address and route lifetimes and bridge timers that count down, timestamps in
 * comments, set-element expiry timers.
 */
public final class StateNormalizer {
  private static final Pattern SAVE_COUNTERS = Pattern.compile("\\[\\d+:\\d+\\]");
  private static final Pattern SAVE_COMMENT = Pattern.compile("(?m)^#.*\\R?");
  private static final Pattern JSON_LIFETIMES =
      Pattern.compile(",?\"(valid_life_time|preferred_life_time|expires|used|age|[a-z_]+_timer)\":[0-9.]+");
  private static final Pattern NFT_COUNTERS = Pattern.compile("counter packets \\d+ bytes \\d+");
  private static final Pattern NFT_EXPIRES = Pattern.compile(" expires [0-9hms.]+");

  private StateNormalizer() {}

  /** {@code iptables-save} output without its "# Generated … on DATE" lines and with counters zeroed. */
  public static String iptablesSave(String text) {
    return SAVE_COUNTERS.matcher(SAVE_COMMENT.matcher(text).replaceAll("")).replaceAll("[0:0]");
  }

  /** {@code nft list ruleset} output with counters zeroed and expiry timers dropped. */
  public static String nftRuleset(String text) {
    return NFT_EXPIRES.matcher(NFT_COUNTERS.matcher(text).replaceAll("counter packets 0 bytes 0")).replaceAll("");
  }

  /** {@code ip -j …} output without the fields that count down (lifetimes, expiry, bridge and port timers). */
  public static String ipJson(String json) {
    // One list element per line, so a difference names the link or route that changed.
    return JSON_LIFETIMES.matcher(json).replaceAll("").replace("{,", "{").replace("},{", "},\n{");
  }

  /** {@code sysctl} output as it is, minus trailing whitespace differences. */
  public static String sysctl(String text) {
    return text.strip() + "\n";
  }
}
