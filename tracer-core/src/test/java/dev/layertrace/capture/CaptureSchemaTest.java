package dev.layertrace.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.layertrace.model.Capture;
import dev.layertrace.model.Direction;
import dev.layertrace.model.EdgeKind;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Protocol;
import dev.layertrace.model.Severity;
import dev.layertrace.testing.SampleCaptures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The published JSON Schema agrees with what the codec writes and with the model's vocabulary. */
class CaptureSchemaTest {
  static final String SCHEMA = "/dev/layertrace/capture/capture-v1.schema.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonSchema schema;
  private static JsonNode schemaTree;

  @BeforeAll
  static void loadSchema() throws IOException {
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    try (InputStream in = CaptureSchemaTest.class.getResourceAsStream(SCHEMA)) {
      assertThat(in).as(SCHEMA + " on the class path").isNotNull();
      schemaTree = JSON.readTree(in);
    }
    schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaTree, config);
  }

  static Stream<Arguments> writtenCaptures() throws IOException {
    List<Arguments> all = new ArrayList<>();
    all.add(Arguments.of("sample guestNoMasquerade", CaptureCodec.write(SampleCaptures.guestNoMasquerade())));
    all.add(Arguments.of("sample guestForwardDrop", CaptureCodec.write(SampleCaptures.guestForwardDrop())));
    Path captures = repoRoot().resolve("captures");
    if (Files.isDirectory(captures)) {
      try (Stream<Path> files = Files.walk(captures)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
          all.add(Arguments.of(repoRoot().relativize(f).toString(), Files.readString(f)));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writtenCaptures")
  void everyWrittenCaptureMatchesTheSchema(String name, String json) throws IOException {
    assertThat(schema.validate(JSON.readTree(json))).as(name).isEmpty();
  }

  @Test
  void theRecordedStyleFixtureWithUnknownFieldsMatchesToo() throws IOException {
    try (InputStream in = getClass().getResourceAsStream(CaptureCodecReadTest.FUTURE_MINOR_FIXTURE)) {
      assertThat(schema.validate(JSON.readTree(in))).isEmpty();
    }
  }

  @Test
  void theDocumentedExampleIsCanonicalAndValid() throws IOException {
    Path doc = repoRoot().resolve("docs/capture-format.md");
    String text = Files.readString(doc);
    int start = text.indexOf("```json\n");
    assertThat(start).as("a ```json block in " + doc).isNotNegative();
    String example = text.substring(start + "```json\n".length(), text.indexOf("```", start + 7));

    assertThat(schema.validate(JSON.readTree(example))).isEmpty();
    assertThat(CaptureCodec.write(CaptureCodec.read(example, "docs/capture-format.md example"))).isEqualTo(example);
  }

  /** Each case breaks one rule the schema states; a schema that accepted them would check nothing. */
  static Stream<Arguments> brokenCaptures() {
    return Stream.of(
        broken("no schemaVersion", c -> c.without("schemaVersion")),
        broken("major 2", c -> c.put("schemaVersion", "2.0")),
        broken("no graph", c -> c.without("graph")),
        broken("unknown layer kind", c -> node(c, "graph", "nodes", 0).put("kind", "router")),
        broken("layer without id", c -> node(c, "graph", "nodes", 0).without("id")),
        broken("unknown edge type", c -> node(c, "graph", "edges", 0).put("type", "tunnel")),
        broken("unknown outcome", c -> node(c, "verdicts", 0).put("outcome", "lost")),
        broken("unknown direction", c -> node(c, "observations", 0).put("direction", "sideways")),
        broken("ttl out of range", c -> node(c, "probes", 0).put("ttl", 300)),
        broken("mtu as text", c -> node(c, "graph", "nodes", 0).put("mtu", "1500")),
        broken("severity unknown", c -> node(c, "findings", 0).put("severity", "fatal")),
        broken("createdAt not a time", c -> c.put("createdAt", "yesterday")));
  }

  private static Arguments broken(String what, Function<ObjectNode, ObjectNode> change) {
    return Arguments.of(what, change);
  }

  private static ObjectNode node(ObjectNode root, Object... path) {
    JsonNode n = root;
    for (Object step : path) {
      n = step instanceof Integer i ? n.get(i) : n.get((String) step);
    }
    return (ObjectNode) n;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenCaptures")
  void theSchemaRejects(String what, Function<ObjectNode, ObjectNode> change) throws IOException {
    ObjectNode c = (ObjectNode) JSON.readTree(CaptureCodec.write(SampleCaptures.guestNoMasquerade()));
    change.apply(c);
    Set<ValidationMessage> errors = schema.validate(c);
    assertThat(errors).as(what).isNotEmpty();
  }

  static Stream<Arguments> vocabularies() {
    return Stream.of(
        Arguments.of("layerKind", words(LayerKind.values(), LayerKind::word)),
        Arguments.of("edgeType", words(EdgeKind.values(), EdgeKind::word)),
        Arguments.of("outcome", words(Outcome.values(), Outcome::word)),
        Arguments.of("direction", words(Direction.values(), Direction::word)),
        Arguments.of("severity", words(Severity.values(), Severity::word)),
        Arguments.of("protocol", words(Protocol.values(), Protocol::word)));
  }

  private static <E> List<String> words(E[] values, Function<E, String> word) {
    return Arrays.stream(values).map(word).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vocabularies")
  void schemaVocabularyIsTheModelsVocabulary(String def, List<String> modelWords) {
    List<String> schemaWords = new ArrayList<>();
    schemaTree.get("$defs").get(def).get("enum").forEach(w -> schemaWords.add(w.asText()));
    assertThat(schemaWords).containsExactlyElementsOf(modelWords);
  }

  @Test
  void theSchemaAcceptsTheVersionThisBuildWrites() {
    assertThat(Capture.SCHEMA_VERSION).matches(schemaTree.at("/properties/schemaVersion/pattern").asText());
  }

  /** From surefire's lt.repo.root, else the nearest folder up with pom.xml and tracer-core/. */
  static Path repoRoot() {
    String prop = System.getProperty("lt.repo.root");
    if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop, "tracer-core"))) {
      return Path.of(prop);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("tracer-core"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
  }
}
