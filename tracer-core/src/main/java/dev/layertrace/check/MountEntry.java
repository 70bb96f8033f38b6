package dev.layertrace.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One line of {@code /proc/PID/mountinfo}.
 *
 * @param superOptions the filesystem's options after the separator (for cgroup v1 these name the
 *     controllers, e.g. {@code rw,devices})
 */
public record MountEntry(int mountId, int parentId, String root, String mountPoint, String fsType, String source,
    String superOptions) {

  /** Parses mountinfo text; malformed lines are skipped. */
  public static List<MountEntry> parseMountinfo(String text) {
    List<MountEntry> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.strip().split(" ");
      int sep = Arrays.asList(f).indexOf("-");
      if (f.length < 7 || sep < 6 || f.length < sep + 3) {
        continue;
      }
      try {
        out.add(new MountEntry(Integer.parseInt(f[0]), Integer.parseInt(f[1]), unescape(f[3]), unescape(f[4]),
            f[sep + 1], unescape(f[sep + 2]), sep + 3 < f.length ? f[sep + 3] : ""));
      } catch (NumberFormatException e) {
        // not a mountinfo line
      }
    }
    return List.copyOf(out);
  }

  /** True when the filesystem options contain {@code option} (e.g. the cgroup v1 controller {@code devices}). */
  public boolean hasSuperOption(String option) {
    return Arrays.asList(superOptions.split(",")).contains(option);
  }

  /** {@code cgroup /sys/fs/cgroup/devices (devices)} style evidence. */
  public String describe() {
    return fsType + " on " + mountPoint;
  }

  // mountinfo escapes space, tab, newline and backslash as octal.
  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length()) {
        try {
          b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
          i += 3;
          continue;
        } catch (NumberFormatException e) {
          // keep the backslash
        }
      }
      b.append(c);
    }
    return b.toString();
  }
}
