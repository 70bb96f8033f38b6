package dev.layertrace.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders a {@link DoctorReport} as a text checklist, JSON or Markdown. */
public enum DoctorReportFormat {
  TEXT,
  JSON,
  MD;

  private static final Map<CheckStatus, String> MARK = Map.of(
      CheckStatus.OK, "✓", CheckStatus.MISSING, "✗", CheckStatus.WRONG, "!", CheckStatus.UNKNOWN, "?");

  public String render(DoctorReport report) {
    return switch (this) {
      case TEXT -> text(report);
      case JSON -> json(report);
      case MD -> markdown(report);
    };
  }

  private static String where(DoctorReport r) {
    return r.netns().isEmpty() ? "this process's namespaces" : "network namespace " + r.netns();
  }

  private static String summary(DoctorReport r) {
    Map<CheckStatus, Long> n = r.checks().stream().collect(Collectors.groupingBy(CheckResult::status,
        Collectors.counting()));
    return r.checks().size() + " checks: " + n.getOrDefault(CheckStatus.OK, 0L) + " ok, "
        + n.getOrDefault(CheckStatus.MISSING, 0L) + " missing, " + n.getOrDefault(CheckStatus.WRONG, 0L) + " wrong, "
        + n.getOrDefault(CheckStatus.UNKNOWN, 0L) + " unknown";
  }

  private static String text(DoctorReport r) {
    StringBuilder b = new StringBuilder();
    b.append("layertrace doctor — ").append(where(r)).append(" — ").append(summary(r)).append('\n');
    for (CheckResult c : r.failuresFirst()) {
      b.append(String.format("  %s %-8s %-10s %-32s %s%n", MARK.get(c.status()), c.status().word(), c.layer().word(),
          c.id(), String.join("; ", c.evidence())));
      if (c.status() != CheckStatus.OK) {
        if (!c.why().isEmpty()) {
          b.append("      why  ").append(c.why()).append('\n');
        }
        if (!c.fix().isEmpty()) {
          b.append("      fix  ").append(c.fix()).append('\n');
        }
      }
    }
    b.append("(✓ ok · ✗ missing · ! wrong · ? unknown: could not be read)\n");
    return b.toString();
  }

  private static String json(DoctorReport r) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String markdown(DoctorReport r) {
    StringBuilder b = new StringBuilder();
    b.append("# layertrace doctor\n\n").append(where(r)).append(": ").append(summary(r)).append("\n\n");
    b.append("| | status | layer | check | evidence | why | fix |\n|---|---|---|---|---|---|---|\n");
    for (CheckResult c : r.failuresFirst()) {
      b.append("| ").append(MARK.get(c.status())).append(" | ").append(c.status().word()).append(" | ")
          .append(c.layer().word()).append(" | `").append(c.id()).append("` | ")
          .append(cell(String.join("; ", c.evidence()))).append(" | ")
          .append(c.status() == CheckStatus.OK ? "" : cell(c.why())).append(" | ")
          .append(c.fix().isEmpty() ? "" : "`" + c.fix().replace("`", "'").replace("|", "\\|") + "`").append(" |\n");
    }
    return b.toString();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
