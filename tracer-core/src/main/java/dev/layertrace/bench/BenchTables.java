package dev.layertrace.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The suite's figures as a plain-text table (terminal) and as Markdown tables, one per section. */
public final class BenchTables {
  private static final String[] HEADER = {"figure", "ours", "baseline", "ratio", "target", "met?"};

  private BenchTables() {}

  /** One aligned table for a terminal, the section as a prefix of each figure's name. */
  public static String text(List<Figure> figures) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (Figure f : figures) {
      rows.add(cells(f, f.section() + ": " + f.name()));
    }
    int[] w = new int[HEADER.length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < rows.size(); k++) {
      String[] r = rows.get(k);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(i == 0 ? "" : " | ").append(i == 0 ? pad(r[i], w[i]) : padLeft(r[i], w[i]));
      }
      sb.append(line.toString().stripTrailing()).append('\n');
      if (k == 0) {
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
          rule.append(i == 0 ? "" : "-|-").append("-".repeat(w[i]));
        }
        sb.append(rule).append('\n');
      }
    }
    return sb.toString();
  }

  /** A Markdown table per section, each under a {@code ###} heading, in the figures' order. */
  public static String markdown(List<Figure> figures) {
    Map<String, List<Figure>> bySection = new LinkedHashMap<>();
    for (Figure f : figures) {
      bySection.computeIfAbsent(f.section(), s -> new ArrayList<>()).add(f);
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<Figure>> e : bySection.entrySet()) {
      sb.append("### ").append(e.getKey()).append("\n\n");
      sb.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
      sb.append("|---|---:|---:|---:|---|---|\n");
      List<String> baselines = new ArrayList<>();
      for (Figure f : e.getValue()) {
        String[] c = cells(f, f.name());
        for (int i = 0; i < c.length; i++) {
          c[i] = c[i].replace("|", "\\|");
        }
        c[5] = c[5].equals("NO") ? "**NO**" : c[5];
        sb.append("| ").append(String.join(" | ", c)).append(" |\n");
        if (f.baselineName() != null && !baselines.contains(f.baselineName())) {
          baselines.add(f.baselineName());
        }
      }
      if (!baselines.isEmpty()) {
        sb.append("\nBaseline: ").append(String.join("; ", baselines)).append(".\n");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String[] cells(Figure f, String name) {
    return new String[] {name, f.oursText(), f.baselineText(), f.ratioText(), f.targetText(), f.metText()};
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(w - s.length());
  }

  private static String padLeft(String s, int w) {
    return " ".repeat(w - s.length()) + s;
  }
}
