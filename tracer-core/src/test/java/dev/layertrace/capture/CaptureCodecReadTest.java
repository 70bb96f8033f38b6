package dev.layertrace.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.model.Capture;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.Outcome;
import dev.layertrace.testing.SampleCaptures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading: tolerant within major 1, strict about everything else, always one clean line. */
class CaptureCodecReadTest {
  static final String FUTURE_MINOR_FIXTURE = "/dev/layertrace/capture/future-minor-unknown-fields.json";

  private static String sample() {
    return CaptureCodec.write(SampleCaptures.guestForwardDrop());
  }

  private static LayertraceException refused(String json, String name) {
    LayertraceException e = catchThrowableOfType(LayertraceException.class, () -> CaptureCodec.read(json, name));
    assertThat(e).as("refused: %s", json.length() > 80 ? json.substring(0, 80) + "…" : json).isNotNull();
    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
    return e;
  }

  @Test
  void unknownTopLevelFieldIsIgnored() {
    String json = sample().replaceFirst("\\{\n", "{\n  \"pcapng\": {\"file\": \"x.pcapng\", \"packets\": [1, 2]},\n");
    assertThat(json).contains("pcapng");
    assertThat(CaptureCodec.read(json, "future.json")).isEqualTo(SampleCaptures.guestForwardDrop());
  }

  @Test
  void unknownNestedFieldsAreIgnored() {
    String json = sample()
        .replace("\"kind\": \"container\",", "\"kind\": \"container\",\n\"qdisc\": {\"kind\": \"noqueue\"},")
        .replace("\"icmpSeq\": 1", "\"icmpSeq\": 1, \"dscp\": 0")
        .replace("\"outcome\": \"stopped\",", "\"outcome\": \"stopped\", \"confidence\": [\"high\"],");
    assertThat(json).contains("qdisc", "dscp", "confidence");
    assertThat(CaptureCodec.read(json, "future.json")).isEqualTo(SampleCaptures.guestForwardDrop());
  }

  @Test
  void aLaterMinorReadsAndIsRewrittenAsWhatThisBuildKnows() throws IOException {
    String json;
    try (InputStream in = getClass().getResourceAsStream(FUTURE_MINOR_FIXTURE)) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Capture c = CaptureCodec.read(json, "future-minor-unknown-fields.json");

    assertThat(c.graph().nodes()).extracting(l -> l.kind())
        .containsExactly(LayerKind.CONTAINER, LayerKind.VETH, LayerKind.BRIDGE, LayerKind.FORWARDING, LayerKind.FILTER);
    assertThat(c.graph().edges()).hasSize(4);
    assertThat(c.observations()).hasSize(2);
    assertThat(c.kernelEvents()).singleElement().satisfies(k -> assertThat(k.reason()).isEqualTo("NETFILTER_DROP"));
    assertThat(c.verdict().outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(c.verdict().fix()).startsWith("ip netns exec lt-guest iptables -A FORWARD");
    // The fields it dropped were 1.3's; what it holds (and writes) is 1.0.
    assertThat(c.schemaVersion()).isEqualTo(Capture.SCHEMA_VERSION);
    String rewritten = CaptureCodec.write(c);
    assertThat(rewritten).doesNotContain("\"fixtureNote\"", "\"qdisc\"", "\"weight\"", "\"layout\"", "\"tos\"",
        "\"dscp\"", "\"observer\"", "\"cpu\"", "\"confidence\"", "\"chain\"", "\"pcapng\"", "\"cpuCount\"");
    assertThat(CaptureCodec.write(CaptureCodec.read(rewritten, "again.json"))).isEqualTo(rewritten);
  }

  @Test
  void theDerivedVerdictFieldIsNotTakenFromTheFile() {
    // "verdict" is a copy of verdicts[0] for readers; a file where they disagree keeps verdicts[0].
    String json = sample().replaceFirst("\"outcome\": \"stopped\"", "\"outcome\": \"reached\"");
    Capture c = CaptureCodec.read(json, "x.json");
    assertThat(c.verdict().outcome()).isEqualTo(Outcome.STOPPED);
  }

  @Test
  void aNewerMajorIsRefusedWithAClearMessage() {
    String json = sample().replace("\"schemaVersion\": \"1.0\"", "\"schemaVersion\": \"2.0\"");
    assertThat(refused(json, "captures/new.json").getMessage())
        .isEqualTo("capture captures/new.json has schema version 2.0, but this layertrace reads 1.x: upgrade layertrace");
  }

  @Test
  void aNewerMajorIsRefusedForItsVersionEvenWhenItsLayoutChanged() {
    String json = "{\"graph\": \"now a string\", \"probes\": {}, \"schemaVersion\": \"3.1\"}";
    assertThat(refused(json, "v3.json").getMessage())
        .isEqualTo("capture v3.json has schema version 3.1, but this layertrace reads 1.x: upgrade layertrace");
  }

  @Test
  void anOlderMajorIsRefused() {
    String json = sample().replace("\"schemaVersion\": \"1.0\"", "\"schemaVersion\": \"0.9\"");
    assertThat(refused(json, "old.json").getMessage()).startsWith("capture old.json has schema version 0.9, older than");
  }

  @Test
  void aMissingSchemaVersionIsRefused() {
    String json = sample().replace("\"schemaVersion\": \"1.0\",", "");
    assertThat(refused(json, "x.json").getMessage())
        .isEqualTo("x.json:1:1: malformed capture: no schemaVersion (is this a layertrace capture?)");
  }

  @ParameterizedTest(name = "schemaVersion {0}")
  @CsvSource(delimiter = '|', value = {
      "'\"1\"'       | schemaVersion '1' is not MAJOR.MINOR",
      "'\"v1.0\"'    | schemaVersion 'v1.0' is not MAJOR.MINOR",
      "'\"1.0.0\"'   | schemaVersion '1.0.0' is not MAJOR.MINOR",
      "'\"\"'        | schemaVersion '' is not MAJOR.MINOR",
      "1.0           | schemaVersion must be a string like \"1.0\", found a number with a fraction",
      "null          | schemaVersion must be a string like \"1.0\", found null",
      "'{\"major\": 1}' | schemaVersion must be a string like \"1.0\", found an object"})
  void aGarbledSchemaVersionIsRefusedWhereItStands(String value, String reason) {
    String json = sample().replace("\"schemaVersion\": \"1.0\"", "\"schemaVersion\": " + value);
    assertThat(refused(json, "x.json").getMessage()).startsWith("x.json:2:20: malformed capture: " + reason);
  }

  /** Each row: the input, then the start of the expected one-line message. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "empty file            | ``                                  | f.json:1:1: malformed capture: empty file",
      "only blanks           | `  \n\n `                           | f.json:3:2: malformed capture: empty file",
      "not JSON at all       | `layertrace was here`               | f.json:1:1: malformed capture: Unrecognized token 'layertrace'",
      "a JSON array          | `[1, 2]`                            | f.json:1:1: malformed capture: expected a JSON object, found an array",
      "a JSON string         | `\"capture\"`                       | f.json:1:1: malformed capture: expected a JSON object, found a string",
      "truncated             | `{\"schemaVersion\": \"1.0\", \"gra` | f.json:1:30: malformed capture: Unexpected end-of-input",
      "unclosed object       | `{\"schemaVersion\": \"1.0\"`       | f.json:1:24: malformed capture: Unexpected end-of-input",
      "trailing content      | `{\"schemaVersion\": \"1.0\", \"graph\": {}} {}` | f.json:1:39: malformed capture: unexpected content after the capture's closing '}'",
      "duplicate key         | `{\"schemaVersion\": \"1.0\", \"graph\": {}, \"graph\": {}}` | f.json:1:46: malformed capture: Duplicate field 'graph'",
      "no graph              | `{\"schemaVersion\": \"1.0\"}`      | f.json:1:24: malformed capture: missing required field 'graph'",
      "graph is a string     | `{\"schemaVersion\": \"1.0\", \"graph\": \"g\"}` | f.json:1:35: malformed capture: graph: expected an object, found a string",
      "probes is a number    | `{\"schemaVersion\": \"1.0\", \"graph\": {}, \"probes\": 5}` | f.json:1:49: malformed capture: probes: expected an array, found an integer",
  })
  void malformedInputGivesOneLineWithFileLineAndColumn(String what, String json, String expected) {
    assertThat(refused(json, "f.json").getMessage()).as(what).startsWith(expected);
  }

  /** Mistakes inside a real capture: wrong types and model rules, reported at their line. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "ttl as text           | `\"ttl\": 64\n`              | `\"ttl\": \"64\"\n`       | probes[0].ttl: expected an integer, found a string",
      "ttl with fraction     | `\"ttl\": 64\n`              | `\"ttl\": 64.5\n`         | probes[0].ttl: expected an integer",
      "df as text            | `\"df\": false`              | `\"df\": \"no\"`          | probes[0].df: expected true or false",
      "size null             | `\"size\": 84`               | `\"size\": null`          | probes[0].size: ",
      "size too large        | `\"size\": 84`               | `\"size\": 99999999999`   | probes[0].size: ",
      "unknown layer kind    | `\"kind\": \"container\"`    | `\"kind\": \"router\"`    | graph.nodes[0].kind: ",
      "unknown edge type     | `\"type\": \"veth-peer\"`    | `\"type\": \"tunnel\"`    | graph.edges[0].type: ",
      "unknown outcome       | `      \"outcome\": \"stopped\"` | `      \"outcome\": \"gone\"` | verdicts[0].outcome: ",
      "edge to unknown layer | `\"to\": \"lt-guest/veth-ctr\"` | `\"to\": \"lt-nowhere\"` | graph: edge lt-ctr/eth0 → lt-nowhere names an unknown layer",
      "path to unknown layer | `\"lt-inet/eth0\"\n    ]`    | `\"lt-inet/eth1\"\n    ]` | graph: path names an unknown layer 'lt-inet/eth1'",
      "layer without id      | `\"id\": \"lt-ctr/eth0\",`   | ``                        | graph.nodes[0]: missing required field 'id'",
      "layer id a number     | `\"id\": \"lt-ctr/eth0\",`   | `\"id\": 7,`              | graph.nodes[0].id: expected a string, found the value 7",
      "observation no packet | `\"packet\": {`              | `\"packet\": null, \"was\": {` | observations[0]: missing required field 'packet'",
  })
  void modelAndTypeErrorsNameTheFieldAndPlace(String what, String find, String replace, String reason) {
    String original = sample();
    int at = original.indexOf(find);
    assertThat(at).as("sample contains %s", find).isNotNegative();
    String json = original.substring(0, at) + replace + original.substring(at + find.length());
    String message = refused(json, "lab/drop.json").getMessage();
    assertThat(message).as(what).matches("lab/drop\\.json:\\d+:\\d+: malformed capture: .+");
    assertThat(message.substring(message.indexOf("malformed capture: ") + 19)).as(what).startsWith(reason);
  }

  @Test
  void theLineAndColumnPointAtTheMistake() {
    String original = sample();
    String json = original.replace("\"ttl\": 64\n", "\"ttl\": \"64\"\n");
    int offset = json.indexOf("\"ttl\": \"64\"") + "\"ttl\": ".length();
    int line = (int) json.substring(0, offset).chars().filter(ch -> ch == '\n').count() + 1;
    int column = offset - json.lastIndexOf('\n', offset - 1);
    assertThat(refused(json, "a.json").getMessage()).startsWith("a.json:" + line + ":" + column + ": ");
  }

  @Test
  void aMissingFileIsOneLine(@TempDir Path dir) {
    Path none = dir.resolve("none.json");
    LayertraceException e = catchThrowableOfType(LayertraceException.class, () -> CaptureCodec.read(none));
    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(e.getMessage()).isEqualTo("cannot read capture " + none + ": no such file or directory");
  }

  @Test
  void aDirectoryIsOneLine(@TempDir Path dir) {
    LayertraceException e = catchThrowableOfType(LayertraceException.class, () -> CaptureCodec.read(dir));
    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(e.getMessage()).isEqualTo("cannot read capture " + dir + ": it is a directory");
  }

  @Test
  void anEmptyFileNamesTheFile(@TempDir Path dir) throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.json"));
    LayertraceException e = catchThrowableOfType(LayertraceException.class, () -> CaptureCodec.read(empty));
    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(e.getMessage()).isEqualTo(empty + ":1:1: malformed capture: empty file");
  }

  @Test
  void invalidUtf8IsReportedWhereItStands(@TempDir Path dir) throws IOException {
    byte[] bytes = sample().getBytes(StandardCharsets.UTF_8);
    int at = sample().indexOf("\"lab\"") + 2; // inside "lab" on the host's hostname line
    bytes[at] = (byte) 0xC3;
    bytes[at + 1] = (byte) 0x28; // 0xC3 must be followed by a continuation byte, not '('
    Path file = dir.resolve("bad-utf8.json");
    Files.write(file, bytes);
    LayertraceException e = catchThrowableOfType(LayertraceException.class, () -> CaptureCodec.read(file));
    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(e.getMessage()).matches(java.util.regex.Pattern.quote(file.toString())
        + ":6:\\d+: malformed capture: .*UTF-8.*");
  }

  @Test
  void aFileReadsLikeItsText(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("drop.json");
    Files.writeString(file, sample());
    assertThat(CaptureCodec.read(file)).isEqualTo(SampleCaptures.guestForwardDrop());
  }
}
