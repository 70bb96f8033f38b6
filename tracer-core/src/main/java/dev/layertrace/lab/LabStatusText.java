package dev.layertrace.lab;

/** Renders {@link LabStatus} for a terminal: one line per check, grouped by namespace. */
public final class LabStatusText {
  private LabStatusText() {}

  public static String render(LabStatus s) {
    StringBuilder b = new StringBuilder();
    if (!s.up()) {
      return "lab: not up (no lab namespace exists) — start it with: layertrace lab up\n";
    }
    int problems = s.problems().size();
    b.append("lab: ").append(s.healthy() ? "healthy" : "NOT healthy — " + problems + " problem"
        + (problems == 1 ? "" : "s")).append('\n');
    String lastArea = null;
    for (LabCheck c : s.checks()) {
      String area = c.area().equals(lastArea) ? "" : c.area();
      lastArea = c.area();
      b.append("  ").append(pad(area, 10)).append(c.ok() ? "✓ " : "✗ ").append(pad(c.item(), 33))
          .append(c.detail()).append('\n');
    }
    if (!s.healthy()) {
      b.append("problems:\n");
      s.problems().forEach(c -> b.append("  ").append(c.area()).append(' ').append(c.item()).append(": ")
          .append(c.detail()).append('\n'));
      b.append("(layertrace lab heal --all restores every catalog fault; layertrace lab down && layertrace lab up"
          + " rebuilds)\n");
    }
    return b.toString();
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
  }
}
