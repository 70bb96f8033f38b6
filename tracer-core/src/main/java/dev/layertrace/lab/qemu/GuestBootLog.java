package dev.layertrace.lab.qemu;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The milestones the guest's init prints on the serial console ({@code layertrace-init: EVENT at
 * SECONDS s}, seconds of guest uptime), e.g. {@code started} (the kernel handed over to /init),
 * {@code modules loaded}, {@code shares mounted}, {@code lab built}.
 */
public final class GuestBootLog {
  private static final Pattern LINE = Pattern.compile("layertrace-init: (.+?) at (\\d+(?:\\.\\d+)?) s");

  private GuestBootLog() {}

  /** Event → guest uptime in seconds, in the order printed (the last of a repeated event wins). */
  public static Map<String, Double> milestones(String consoleText) {
    Map<String, Double> m = new LinkedHashMap<>();
    Matcher x = LINE.matcher(consoleText);
    while (x.find()) {
      m.put(x.group(1), Double.parseDouble(x.group(2)));
    }
    return m;
  }
}
