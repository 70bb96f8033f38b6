package dev.layertrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarksDocumentTest {
  private static final MachineFacts MACHINE = new MachineFacts("AMD EPYC", 2, 24_000, true,
      "Debian GNU/Linux 12 (bookworm)", "6.1.0", "17.0.15 (OpenJDK 64-Bit Server VM)", 0.5, 1.25);

  private static SuiteReport report(double traceMs) {
    return new SuiteReport(MACHINE, "2026-12-03 16:00 UTC", "layertrace bench all", 312, List.of(
        new Figure("start-up", "trace via the launcher", traceMs, 1100.0, "ms", Target.atMost(800), "java -jar"),
        Figure.of("scale", "traces | per second", 25, "traces/s", Target.atLeast(20))),
        List.of("web: skipped (--skip)"));
  }

  @Test
  void keepsTheHandWrittenTextAroundTheGeneratedSection() {
    String doc = "# Benchmarks\n\nIntro.\n\n" + BenchmarksDocument.BEGIN + "\nold figures\n" + BenchmarksDocument.END
        + "\n\n## Notes\n\nWhy the relay costs what it costs.\n";
    String out = BenchmarksDocument.regenerate(doc, report(790));
    assertThat(out).startsWith("# Benchmarks\n\nIntro.\n\n" + BenchmarksDocument.BEGIN + "\n## Latest suite run")
        .endsWith(BenchmarksDocument.END + "\n\n## Notes\n\nWhy the relay costs what it costs.\n")
        .doesNotContain("old figures");
  }

  @Test
  void aDocumentWithoutMarkersGetsTheSectionUnderItsTitle() {
    String out = BenchmarksDocument.regenerate("# Benchmarks\n\nHand-written.\n", report(790));
    assertThat(out).startsWith("# Benchmarks\n\n" + BenchmarksDocument.BEGIN).endsWith(BenchmarksDocument.END
        + "\n\nHand-written.\n");
    // Regenerating again replaces the section instead of adding a second one.
    String again = BenchmarksDocument.regenerate(out, report(812));
    assertThat(again.split(java.util.regex.Pattern.quote(BenchmarksDocument.BEGIN), -1)).hasSize(2);
    assertThat(again).contains("| 812 ms |").doesNotContain("| 790 ms |");
  }

  @Test
  void statesTheMachineTheCommandAndWhatWasMissed() {
    String s = BenchmarksDocument.section(report(812));
    assertThat(s).contains("**Command:** `layertrace bench all`")
        .contains("2026-12-03 16:00 UTC, 312 s for the whole suite; load average 0.50 before, 1.25 after")
        .contains("Debian GNU/Linux 12 (bookworm), kernel 6.1.0, 2 cores of AMD EPYC (virtual machine), 23.4 GiB")
        .contains("2 figures; 1 of 2 targets met. Missed: start-up: trace via the launcher (812 ms, target <= 800 ms).")
        .contains("| trace via the launcher | 812 ms | 1100 ms | 0.74x | <= 800 ms | **NO** |")
        .contains("| traces \\| per second | 25 traces/s |  |  | >= 20 traces/s | yes |")
        .contains("Baseline: java -jar.")
        .contains("- web: skipped (--skip)");
  }

  @Test
  void theTextTableAlignsItsColumns() {
    String t = BenchTables.text(report(790).figures());
    List<String> lines = t.lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("figure").contains("| met?");
    assertThat(lines.get(2).indexOf('|')).isEqualTo(lines.get(0).indexOf('|'));
    assertThat(lines.get(2)).hasSameSizeAs(lines.get(0));
    assertThat(lines.get(2)).contains("start-up: trace via the launcher").endsWith("yes");
  }
}
