package dev.layertrace.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's order, exit code and the three output formats. */
class DoctorReportTest {
  private final DoctorReport report = DoctorReport.evaluate(DoctorFixtures.facts("no-cgroup-mount.json"));

  @Test
  void idsAreUniqueAndNamedByLayer() {
    List<String> ids = report.checks().stream().map(CheckResult::id).toList();
    assertThat(ids).doesNotHaveDuplicates().hasSizeGreaterThan(40);
    assertThat(report.checks()).allSatisfy(c -> assertThat(c.id()).matches("[a-z]+\\.[a-z0-9_]+"));
  }

  @Test
  void failedChecksCarryWhyAndFix() {
    assertThat(report.checks()).filteredOn(c -> c.status().failed()).isNotEmpty()
        .allSatisfy(c -> {
          assertThat(c.why()).as(c.id()).isNotBlank();
          assertThat(c.fix()).as(c.id()).isNotBlank();
          assertThat(c.evidence()).as(c.id()).isNotEmpty();
        });
    assertThat(report.checks()).filteredOn(c -> c.status() == CheckStatus.OK)
        .allSatisfy(c -> assertThat(c.fix()).as(c.id()).isEmpty());
  }

  @Test
  void textListsFailuresFirstWithTheirFix() {
    String text = DoctorReportFormat.TEXT.render(report);
    List<String> lines = text.lines().toList();
    assertThat(lines.get(0)).contains("missing");
    assertThat(lines.get(1)).contains("✗ missing").contains("mounts.cgroup");
    assertThat(lines.get(2)).contains("why").contains("Devices cgroup isn't mounted");
    assertThat(lines.get(3)).contains("fix").contains("mount -t cgroup2");
    int firstOk = text.indexOf("  ✓ ok  ");
    assertThat(text.lastIndexOf("  ! wrong  ")).isPositive().isLessThan(firstOk);
    assertThat(text.lastIndexOf("  ✗ missing  ")).isLessThan(firstOk);
  }

  @Test
  void jsonHasTheDocumentedShape() throws Exception {
    JsonNode root = new ObjectMapper().readTree(DoctorReportFormat.JSON.render(report));
    JsonNode first = root.get("checks").get(0);
    assertThat(first.get("id").asText()).isEqualTo("mounts.proc");
    List<String> keys = new java.util.ArrayList<>();
    first.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("id", "layer", "status", "evidence", "why", "fix");
    JsonNode cgroup = root.get("checks").findParents("id").stream()
        .filter(n -> n.get("id").asText().equals("mounts.cgroup")).findFirst().orElseThrow();
    assertThat(cgroup.get("status").asText()).isEqualTo("missing");
    assertThat(cgroup.get("layer").asText()).isEqualTo("mounts");
  }

  @Test
  void markdownIsATable() {
    String md = DoctorReportFormat.MD.render(report);
    assertThat(md).startsWith("# layertrace doctor");
    assertThat(md).contains("| ✗ | missing | mounts | `mounts.cgroup` |");
  }

  @Test
  void exitCodeIsZeroOnlyWhenNothingFailed() {
    assertThat(report.exitCode()).isEqualTo(1);
    DoctorReport onlyOk = DoctorReport.evaluate(DoctorFixtures.facts("host.json"),
        List.of(new IpForwardCheck(), new RpFilterCheck()).subList(1, 2));
    assertThat(onlyOk.exitCode()).isEqualTo(0);
    DoctorReport unknown = DoctorReport.evaluate(DoctorFixtures.facts("host.json").withFiles(Map.of(
        FactPaths.RP_FILTER_ALL, new FileFact(FactPaths.RP_FILTER_ALL, FileFact.Presence.DENIED, "", "Permission denied"))),
        List.of(new RpFilterCheck()));
    assertThat(unknown.exitCode()).isEqualTo(0);
    assertThat(unknown.checks().get(0).evidence()).contains("permission denied reading " + FactPaths.RP_FILTER_ALL);
  }

  @Test
  void snapshotsSurviveAJsonRoundTrip() {
    SystemFacts facts = DoctorFixtures.facts("netns-split-brain.json");
    SystemFacts back = SystemFactsJson.parse(SystemFactsJson.write(facts));
    assertThat(DoctorReport.evaluate(back)).isEqualTo(DoctorReport.evaluate(facts));
  }
}
