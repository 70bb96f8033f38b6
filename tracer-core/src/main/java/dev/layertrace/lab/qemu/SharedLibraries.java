package dev.layertrace.lab.qemu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code ldd} printed for one ELF file: the libraries the dynamic loader would map, and the loader. */
public final class SharedLibraries {
  private SharedLibraries() {}

  /**
   * The absolute paths in {@code ldd} output: {@code libc.so.6 => /lib/…/libc.so.6 (0x…)} gives the
   * library, {@code /lib64/ld-linux-x86-64.so.2 (0x…)} the interpreter; the vDSO has no file. A
   * {@code not found} line is an error: the guest would fail at run time with a worse message.
   */
  public static List<String> parse(String lddOutput) {
    return parse(lddOutput, false);
  }

  /**
   * Like {@link #parse(String)}; with {@code missingAllowed} a library ldd cannot find is skipped (the
   * JDK's own libraries find libjvm.so only once the JVM has loaded it).
   */
  public static List<String> parse(String lddOutput, boolean missingAllowed) {
    List<String> paths = new ArrayList<>();
    for (String raw : lddOutput.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.endsWith(":") || line.startsWith("linux-vdso") || line.startsWith("statically linked")
          || line.equals("not a dynamic executable")) {
        continue;
      }
      if (line.contains("=> not found") && missingAllowed) {
        continue;
      }
      if (line.contains("=> not found")) {
        throw new IllegalArgumentException("a shared library is missing: " + line);
      }
      int arrow = line.indexOf("=>");
      String target = (arrow >= 0 ? line.substring(arrow + 2) : line).strip();
      int paren = target.indexOf(" (");
      if (paren >= 0) {
        target = target.substring(0, paren);
      }
      if (target.startsWith("/")) {
        paths.add(target);
      }
    }
    return List.copyOf(paths);
  }

  /**
   * Splits the output of {@code ldd FILE1 FILE2 …}, which heads each file's libraries with a
   * {@code FILE:} line, into each file's own {@code ldd} output.
   */
  public static Map<String, String> split(String lddOutput) {
    Map<String, StringBuilder> byFile = new LinkedHashMap<>();
    StringBuilder current = null;
    for (String line : lddOutput.split("\n")) {
      if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && line.endsWith(":")) {
        current = byFile.computeIfAbsent(line.substring(0, line.length() - 1), k -> new StringBuilder());
      } else if (current != null) {
        current.append(line).append('\n');
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    byFile.forEach((k, v) -> out.put(k, v.toString()));
    return out;
  }
}
