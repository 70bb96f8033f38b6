package dev.layertrace.probe;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a tracefs {@code trace} file, e.g.
 * {@code <idle>-0 [001] ..s2. 812.345678: kfree_skb: skbaddr=00000000a1b2 rx_sk=0 protocol=2048
 * location=ip_error+0x5a/0x1a0 reason: IP_INADDRERRORS}: the event name, its time on the trace clock
 * (the instance uses {@code mono}), and its {@code key=value} fields; {@code location} loses its
 * {@code +offset/size} suffix and {@code reason: X} becomes the field {@code reason}.
 */
public record TraceRecord(String event, long timeNs, Map<String, String> fields) {
  private static final Pattern LINE = Pattern.compile("^.*?\\s(\\d+)\\.(\\d{1,9}):\\s+(\\w+):\\s(.*)$");
  private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S*)");
  private static final Pattern REASON = Pattern.compile("reason: (\\w+)");

  public TraceRecord {
    fields = Map.copyOf(fields);
  }

  /** The record of {@code line}, or empty for anything that is not an event line. */
  public static Optional<TraceRecord> parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      return Optional.empty();
    }
    String frac = (m.group(2) + "000000000").substring(0, 9);
    long t;
    try {
      t = Long.parseLong(m.group(1)) * 1_000_000_000L + Long.parseLong(frac);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    String body = m.group(4);
    Map<String, String> f = new HashMap<>();
    Matcher fm = FIELD.matcher(body);
    while (fm.find()) {
      f.putIfAbsent(fm.group(1), fm.group(2));
    }
    Matcher r = REASON.matcher(body);
    if (r.find()) {
      f.put("reason", r.group(1));
    }
    String loc = f.get("location");
    if (loc != null) {
      int plus = loc.indexOf('+');
      f.put("location", plus > 0 ? loc.substring(0, plus) : loc);
    }
    return Optional.of(new TraceRecord(m.group(3), t, f));
  }

  public String field(String name) {
    return fields.get(name);
  }

  public int intField(String name, int otherwise) {
    try {
      return Integer.parseInt(fields.getOrDefault(name, ""));
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }
}
