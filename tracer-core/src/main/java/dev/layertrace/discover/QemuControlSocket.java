package dev.layertrace.discover;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a QEMU process can be asked for its run state, read from its command line: {@code -qmp unix:P},
 * {@code -monitor unix:P}, or {@code -chardev socket,id=X,path=P,server=on} with {@code -mon chardev=X}.
 * Only server sockets count: QEMU listens there. QMP is preferred (machine-readable).
 *
 * @param qmp true for QMP (JSON), false for the human monitor
 */
public record QemuControlSocket(Path socket, boolean qmp) {
  /** The best control socket in {@code args} (the command line, one argument per element). */
  public static Optional<QemuControlSocket> of(List<String> args) {
    if (args.isEmpty() || !Path.of(args.get(0)).getFileName().toString().startsWith("qemu-system")) {
      return Optional.empty();
    }
    Map<String, String> chardevs = new HashMap<>();
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).equals("-chardev") && args.get(i + 1).startsWith("socket,")) {
        Map<String, String> o = options(args.get(i + 1));
        if (o.containsKey("id") && o.containsKey("path") && server(o)) {
          chardevs.put(o.get("id"), o.get("path"));
        }
      }
    }
    QemuControlSocket hmp = null;
    for (int i = 0; i + 1 < args.size(); i++) {
      String opt = args.get(i).replaceFirst("^--", "-");
      String value = args.get(i + 1);
      if ((opt.equals("-qmp") || opt.equals("-monitor")) && value.startsWith("unix:")) {
        Map<String, String> o = options(value.substring("unix:".length()));
        if (!server(o)) {
          continue;
        }
        QemuControlSocket s = new QemuControlSocket(Path.of(o.get("")), opt.equals("-qmp"));
        if (s.qmp) {
          return Optional.of(s);
        }
        hmp = hmp == null ? s : hmp;
      } else if (opt.equals("-mon")) {
        Map<String, String> o = options(value);
        String path = chardevs.get(o.get("chardev"));
        if (path != null) {
          QemuControlSocket s = new QemuControlSocket(Path.of(path), "control".equals(o.get("mode")));
          if (s.qmp) {
            return Optional.of(s);
          }
          hmp = hmp == null ? s : hmp;
        }
      }
    }
    return Optional.ofNullable(hmp);
  }

  /** {@code a,b=c,d} → {"": a, b: c, d: ""}; the first bare word is the main value. */
  private static Map<String, String> options(String s) {
    Map<String, String> o = new HashMap<>();
    String[] parts = s.split(",");
    for (int i = 0; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (i == 0 && eq < 0) {
        o.put("", parts[i]);
      } else if (eq < 0) {
        o.put(parts[i], "on");
      } else {
        o.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
      }
    }
    return o;
  }

  /** {@code server}, {@code server=on} (QEMU ≥ 6) or {@code server=yes}. */
  private static boolean server(Map<String, String> o) {
    String v = o.get("server");
    return v != null && (v.equals("on") || v.equals("yes") || v.equals("true"));
  }

  /** The run state in an answer: HMP {@code VM status: paused} or QMP {@code {"return": {"status": "paused", …}}}. */
  public static Optional<String> runState(String answer) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("VM status: ([a-z-]+)").matcher(answer);
    if (m.find()) {
      return Optional.of(m.group(1));
    }
    m = java.util.regex.Pattern.compile("\"status\"\\s*:\\s*\"([a-z-]+)\"").matcher(answer);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
