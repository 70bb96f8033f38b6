package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.bench.BenchmarksDocument;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code layertrace bench all} for real, limited to the sections that need neither root nor a lab
 * (doctor and web): one table, the JSON report and the regenerated BENCHMARKS.md section.
 */
class BenchSuiteCommandTest {
  @TempDir Path dir;

  @Test
  void runsTheSectionsAndWritesTableJsonAndMarkdown() throws Exception {
    Path json = dir.resolve("bench-results.json");
    Path md = dir.resolve("BENCHMARKS.md");
    Files.writeString(md, "# Benchmarks\n\nHand-written notes stay.\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = Main.run(new String[] {"bench", "all", "--skip", "render,trace,startup,lab,repeat,scale", "--captures",
        "../captures", "--json", json.toString(), "--markdown", md.toString()}, new PrintWriter(out, true),
        new PrintWriter(err, true));

    assertThat(code).as(err + "\n" + out).isZero();
    assertThat(out.toString()).contains("| met?").contains("doctor: full run, median of 30")
        .contains("web: GET /api/captures/guest-no-masquerade").contains("note: scale: skipped (--skip)");
    JsonNode doc = new ObjectMapper().readTree(json.toFile());
    assertThat(doc.get("command").asText()).startsWith("layertrace bench all --skip");
    assertThat(doc.get("machine").get("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(doc.get("figures")).hasSizeGreaterThan(8);
    for (JsonNode f : doc.get("figures")) {
      assertThat(f.get("ours").asDouble()).as(f.toString()).isPositive();
      assertThat(f.get("section").asText()).isIn("doctor", "web");
    }
    String written = Files.readString(md);
    assertThat(written).contains(BenchmarksDocument.BEGIN).contains("## Latest suite run")
        .contains("| full run, median of 30 |").endsWith("Hand-written notes stay.\n");
  }

  @Test
  void anUnknownSectionIsAUsageError() {
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"bench", "all", "--skip", "nope", "--no-markdown"},
        new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("unknown section 'nope'");
  }
}
