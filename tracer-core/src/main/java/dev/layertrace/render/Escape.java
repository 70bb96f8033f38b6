package dev.layertrace.render;

/**
 * Escapes user-controlled text (interface and namespace names, rule summaries, explanations) for
 * the formats that embed it, so no name can break out of a label or inject markup.
 */
final class Escape {
  private Escape() {}

  /**
   * For the inside of a double-quoted DOT string. {@code & < > '} become HTML entities, which
   * Graphviz decodes back for display and re-escapes in SVG; so the DOT text itself never holds
   * markup (graphviz-java rewrites {@code <img src='…'} in DOT source) and SVG text stays text.
   * Backslashes are doubled so a name cannot form a DOT escape such as {@code \N} or {@code \l}.
   */
  static String dot(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '\'' -> b.append("&#39;");
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r', '\t' -> b.append(' ');
        default -> {
          if (c >= 0x20 && c != 0x7f) {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /**
   * For the inside of a double-quoted Mermaid label. Mermaid decodes {@code #NN;} entity codes, so
   * quotes, markup characters, {@code #} itself and the edge-label pipe become numeric codes.
   */
  static String mermaid(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"', '#', '&', '<', '>', '|', '`', '\\' -> b.append('#').append((int) c).append(';');
        case '\n', '\r', '\t' -> b.append(' ');
        default -> {
          if (c >= 0x20 && c != 0x7f) {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** For Markdown prose and table cells: markup characters become entities or backslash escapes. */
  static String markdown(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '|' -> b.append("\\|");
        case '\\', '`', '*', '_', '[', ']', '#' -> b.append('\\').append(c);
        case '\n', '\r', '\t' -> b.append(' ');
        default -> {
          if (c >= 0x20 && c != 0x7f) {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** Replaces the non-ASCII symbols the renderers use with ASCII, then anything else non-ASCII with '?'. */
  static String ascii(String s) {
    String r = s.replace("→", "->").replace("←", "<-").replace("◀", "<-").replace("—", "-")
        .replace("…", "...").replace("·", ".").replace("✓", "ok").replace("✗", "XX");
    StringBuilder b = new StringBuilder(r.length());
    for (int i = 0; i < r.length(); i++) {
      char c = r.charAt(i);
      b.append(c < 0x80 ? c : '?');
    }
    return b.toString();
  }
}
