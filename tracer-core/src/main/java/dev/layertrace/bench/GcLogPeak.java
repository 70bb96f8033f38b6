package dev.layertrace.bench;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The most heap a JVM had in use, from its unified GC log ({@code -Xlog:gc,gc+heap+exit}): the
 * larger of the heap before each collection ({@code Pause Young (…) 52M->8M(247M)}) and the
 * generations' use at exit ({@code def new generation total 78656K, used 41234K}).
 */
public final class GcLogPeak {
  private static final Pattern PAUSE = Pattern.compile("Pause \\w+ .*?(\\d+)([KMG])->\\d+[KMG]\\(\\d+[KMG]\\)");
  private static final Pattern EXIT_GEN = Pattern.compile("(?:generation|space|heap)\\s+total \\d+K, used (\\d+)K");

  private GcLogPeak() {}

  /** Peak heap in bytes, or empty when the log shows neither a collection nor the heap at exit. */
  public static OptionalLong peakBytes(String log) {
    long peak = -1;
    Matcher p = PAUSE.matcher(log);
    while (p.find()) {
      peak = Math.max(peak, bytes(Long.parseLong(p.group(1)), p.group(2)));
    }
    long atExit = 0;
    boolean sawExit = false;
    for (String line : log.lines().toList()) {
      if (line.contains("Metaspace") || line.contains("class space")) {
        continue;
      }
      Matcher m = EXIT_GEN.matcher(line);
      if (m.find()) {
        atExit += Long.parseLong(m.group(1)) * 1024;
        sawExit = true;
      }
    }
    if (sawExit) {
      peak = Math.max(peak, atExit);
    }
    return peak < 0 ? OptionalLong.empty() : OptionalLong.of(peak);
  }

  private static long bytes(long n, String unit) {
    return switch (unit) {
      case "K" -> n << 10;
      case "M" -> n << 20;
      default -> n << 30;
    };
  }
}
