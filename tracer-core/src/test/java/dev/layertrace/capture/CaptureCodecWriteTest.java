package dev.layertrace.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.model.Capture;
import dev.layertrace.model.Edge;
import dev.layertrace.model.Finding;
import dev.layertrace.model.HostFacts;
import dev.layertrace.model.KernelEvent;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.LayerRef;
import dev.layertrace.model.Observation;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Probe;
import dev.layertrace.model.SeenPacket;
import dev.layertrace.model.Verdict;
import dev.layertrace.testing.SampleCaptures;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing: the same capture always gives the same bytes, in a layout people can diff. */
class CaptureCodecWriteTest {
  static final String GOLDEN = "/dev/layertrace/capture/guest-forward-drop.golden.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void matchesTheGoldenFile() throws IOException {
    String golden;
    try (InputStream in = getClass().getResourceAsStream(GOLDEN)) {
      golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(CaptureCodec.write(SampleCaptures.guestForwardDrop())).isEqualTo(golden);
  }

  @Test
  void layoutIsTwoSpacesLfAndAFinalNewline() {
    String json = CaptureCodec.write(SampleCaptures.guestNoMasquerade());
    assertThat(json).startsWith("{\n  \"schemaVersion\": \"1.0\",\n  \"toolVersion\": \"0.1.0\",\n")
        .endsWith("\n}\n").doesNotContain("\r", "\t", " : ", "\n\n", "[ ]", "{ }")
        .contains("\"kernelEvents\": [],\n")
        .contains("\"label\": \"src 172.17.0.2 → 172.16.0.2\"");
  }

  @Test
  void topLevelFieldsComeInTheDocumentedOrder() throws IOException {
    JsonNode root = JSON.readTree(CaptureCodec.write(SampleCaptures.guestNoMasquerade()));
    assertThat(names(root)).containsExactly("schemaVersion", "toolVersion", "createdAt", "host", "verdict", "graph",
        "probes", "observations", "kernelEvents", "findings", "verdicts", "notes");
  }

  @Test
  void everyNestedObjectFollowsItsRecordsComponentOrder() throws IOException {
    JsonNode root = JSON.readTree(CaptureCodec.write(SampleCaptures.guestNoMasquerade()));
    assertOrder(root.get("host"), HostFacts.class);
    assertOrder(root.get("verdict"), Verdict.class);
    assertOrder(root.get("graph"), PathGraph.class);
    root.get("graph").get("nodes").forEach(n -> assertOrder(n, Layer.class));
    root.get("graph").get("edges").forEach(n -> assertOrder(n, Edge.class));
    root.get("probes").forEach(n -> assertOrder(n, Probe.class));
    root.get("observations").forEach(n -> {
      assertOrder(n, Observation.class);
      assertOrder(n.get("packet"), SeenPacket.class);
    });
    root.get("findings").forEach(n -> {
      assertOrder(n, Finding.class);
      assertOrder(n.get("layer"), LayerRef.class);
    });
    root.get("verdicts").forEach(n -> assertOrder(n, Verdict.class));
    JsonNode drop = JSON.readTree(CaptureCodec.write(SampleCaptures.guestForwardDrop()));
    drop.get("kernelEvents").forEach(n -> assertOrder(n, KernelEvent.class));
  }

  @Test
  void mapKeysAreSortedWhateverTheInsertionOrder() throws IOException {
    Layer layer = Layer.of("lt-host/nat", LayerKind.NAT, "lt-host", null)
        .withDetail("zone", "z").withDetail("backend", "nft").withDetail("postrouting", "masquerade");
    Capture c = new Capture(Capture.SCHEMA_VERSION, null, null, null,
        PathGraph.linear(List.of(layer), List.of()), null, null, null, null, null, null);
    JsonNode details = JSON.readTree(CaptureCodec.write(c)).at("/graph/nodes/0/details");
    assertThat(names(details)).containsExactly("backend", "postrouting", "zone");
  }

  @Test
  void absentAndEmptyValuesFollowTheModelsInclusionRules() throws IOException {
    Capture bare = new Capture(Capture.SCHEMA_VERSION, null, null, null,
        PathGraph.linear(List.of(Layer.of("vmm", LayerKind.VMM_LINK, null, null)), List.of()),
        null, null, null, null, null, null);
    JsonNode root = JSON.readTree(CaptureCodec.write(bare));
    // Capture omits nulls (no toolVersion, host, verdict) but keeps its lists, even empty.
    assertThat(names(root)).containsExactly("schemaVersion", "graph", "probes", "observations", "kernelEvents",
        "findings", "verdicts", "notes");
    // Layer omits empties too: no addresses [], no details {}.
    assertThat(names(root.at("/graph/nodes/0"))).containsExactly("id", "kind");
    assertThat(CaptureCodec.read(CaptureCodec.write(bare), "bare.json")).isEqualTo(bare);
  }

  @Test
  void writingAFileReplacesItAndKeepsItsPermissions(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("c.json");
    Files.writeString(file, "old");
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    CaptureCodec.write(SampleCaptures.guestForwardDrop(), file);
    assertThat(Files.readString(file)).isEqualTo(CaptureCodec.write(SampleCaptures.guestForwardDrop()));
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r-----");
  }

  @Test
  void aNewFileGetsTheUsualPermissionsNotATempFiles(@TempDir Path dir) throws IOException {
    Path plain = Files.createFile(dir.resolve("plain"));
    Path file = dir.resolve("new.json");
    CaptureCodec.write(SampleCaptures.guestForwardDrop(), file);
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plain));
  }

  @Test
  void aMissingFolderIsOneLine(@TempDir Path dir) {
    Path file = dir.resolve("no/such/folder/c.json");
    LayertraceException e = catchThrowableOfType(LayertraceException.class,
        () -> CaptureCodec.write(SampleCaptures.guestForwardDrop(), file));
    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(e.getMessage()).isEqualTo("cannot write capture " + file + ": no such file or directory");
  }

  @Test
  void aFolderIsNotOverwritten(@TempDir Path dir) throws IOException {
    Path folder = Files.createDirectory(dir.resolve("out.json"));
    LayertraceException e = catchThrowableOfType(LayertraceException.class,
        () -> CaptureCodec.write(SampleCaptures.guestForwardDrop(), folder));
    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(e.getMessage()).isEqualTo("cannot write capture " + folder + ": it is a directory");
    assertThat(folder).isDirectory();
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(folder);
    }
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      names.add(e.getKey());
    }
    return names;
  }

  private static java.lang.reflect.Field field(Class<?> type, String name) {
    try {
      return type.getDeclaredField(name);
    } catch (NoSuchFieldException e) {
      throw new AssertionError(e);
    }
  }

  /** The object's fields are a subsequence of the record's components, by JSON name. */
  private static void assertOrder(JsonNode object, Class<? extends Record> type) {
    List<String> order = new ArrayList<>();
    for (RecordComponent rc : type.getRecordComponents()) {
      // @JsonProperty does not target record components; javac puts it on the field (among others).
      JsonProperty p = field(type, rc.getName()).getAnnotation(JsonProperty.class);
      order.add(p != null && !p.value().isEmpty() ? p.value() : rc.getName());
    }
    List<String> present = names(object);
    assertThat(present).as(type.getSimpleName()).isNotEmpty().isSubsetOf(order);
    assertThat(present).as(type.getSimpleName() + " order")
        .isEqualTo(order.stream().filter(present::contains).toList());
  }
}
