package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.testing.SampleCaptures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code layertrace bench render} runs for real with few iterations and reports every figure it can. */
class BenchCommandTest {
  @TempDir Path dir;

  @Test
  void renderBenchmarkPrintsTheTableAndWritesJson() throws Exception {
    Path capture = dir.resolve("c.json");
    CaptureCodec.write(SampleCaptures.guestNoMasquerade(), capture);
    Path json = dir.resolve("bench.json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = Main.run(new String[] {"bench", "render", capture.toString(), "--runs", "3", "--fresh-runs", "0",
        "--json", json.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("figure").contains("ours").contains("baseline").contains("ratio")
        .contains("warm render to SVG, v8 engine, median of 3");
    JsonNode doc = new ObjectMapper().readTree(json.toFile());
    assertThat(doc.get("benchmark").asText()).isEqualTo("render");
    assertThat(doc.get("rows")).isNotEmpty();
    for (JsonNode row : doc.get("rows")) {
      assertThat(row.get("oursMs").asDouble()).as(row.toString()).isPositive();
    }
  }

  @Test
  void benchAloneListsItsBenchmarks() {
    StringWriter out = new StringWriter();
    assertThat(Main.run(new String[] {"bench"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true)))
        .isZero();
    assertThat(out.toString()).contains("render");
  }
}
