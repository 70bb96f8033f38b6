package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.model.Capture;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Verdict;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.LabSystem;
import dev.layertrace.testing.RootOnly;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code layertrace serve --allow-live} as a user runs it, on a private copy of the lab
 * ({@code lt-tlive-ctr} …, veth in the relay's place): the token it prints, {@code POST /api/live},
 * and the server-sent events of a real trace — the path first, then each observation as the
 * observers read it, then the finished capture with its verdict.
 */
@RootOnly
class ServeLiveRootTest {
  static final LabTopology T = LabTopology.copy("lt-tlive-", LabTopology.VmmLink.VETH);
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)/");
  static final Pattern TOKEN = Pattern.compile("live token: ([0-9a-f]+)");

  static LabSystem lab;
  static Path captures;
  static Thread serve;
  static String base;
  static String token;

  record Event(String name, JsonNode data, long arrivedNs) {}

  @BeforeAll
  static void up() throws Exception {
    lab = new LabSystem(T, new LabRuntime(Path.of("/run/layertrace/lt-tlive-lab")), List.of());
    lab.up();
    captures = Files.createTempDirectory("layertrace-live-");
    StringWriter out = new StringWriter();
    serve = new Thread(() -> Main.run(new String[] {"serve", "--captures", captures.toString(), "--port", "0",
        "--allow-live"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true)), "serve-under-test");
    serve.setDaemon(true);
    serve.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!TOKEN.matcher(out.toString()).find() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Matcher u = URL.matcher(out.toString());
    Matcher t = TOKEN.matcher(out.toString());
    assertThat(u.find() && t.find()).as("serve printed its address and token: %s", out).isTrue();
    base = u.group(1);
    token = t.group(1);
  }

  @AfterAll
  static void down() throws Exception {
    try {
      if (serve != null) {
        serve.interrupt(); // ServeCommand closes the server when its wait is interrupted
        serve.join(10_000);
      }
      if (captures != null) {
        Files.deleteIfExists(captures);
      }
    } finally {
      if (lab != null) {
        lab.down();
      }
    }
  }

  /** Posts a live trace and reads the event stream line by line, noting when each event arrived. */
  static HttpResponse<java.util.stream.Stream<String>> post(String body, String tokenHeader) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/live")).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (tokenHeader != null) {
      b.header("X-Layertrace-Token", tokenHeader);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofLines());
  }

  static List<Event> events(HttpResponse<java.util.stream.Stream<String>> r) throws Exception {
    List<Event> out = new ArrayList<>();
    String[] name = {null};
    for (String line : (Iterable<String>) r.body()::iterator) {
      if (line.startsWith("event: ")) {
        name[0] = line.substring(7);
      } else if (line.startsWith("data: ")) {
        out.add(new Event(name[0], JSON.readTree(line.substring(6)), System.nanoTime()));
      }
    }
    return out;
  }

  static List<Event> trace(String body) throws Exception {
    HttpResponse<java.util.stream.Stream<String>> r = post(body, token);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    List<Event> events = events(r);
    assertThat(events).extracting(Event::name).as("stream").startsWith("path").endsWith("status", "capture", "done")
        .doesNotContain("error");
    return events;
  }

  static Capture capture(List<Event> events) {
    Event c = events.stream().filter(e -> e.name().equals("capture")).findFirst().orElseThrow();
    return CaptureCodec.read(c.data().toString(), "live");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"icmp,", "udp,33434", "tcp,80"})
  void healthyLabCopyStreamsThePathThenEachLayerInOrderThenReached(String protocol, Integer port) throws Exception {
    List<Event> events = trace("{\"source\":\"netns:" + T.ctr() + "\",\"destination\":\"" + LabTopology.REMOTE
        + "\",\"protocol\":\"" + protocol + "\"" + (port == null ? "" : ",\"port\":" + port) + "}");
    List<String> path = new ArrayList<>();
    events.get(0).data().path("path").forEach(n -> path.add(n.asText()));
    assertThat(path).first().asString().startsWith(T.ctr() + "/");

    List<Event> requests = events.stream().filter(e -> e.name().equals("observation"))
        .filter(e -> e.data().path("direction").asText().equals("request"))
        .filter(e -> !e.data().path("packet").path("protocol").asText().equals("arp")).toList();
    List<String> seenAt = requests.stream().map(e -> e.data().path("layerId").asText()).distinct().toList();
    assertThat(seenAt).as("request seen at").hasSizeGreaterThanOrEqualTo(5)
        .contains(T.ctr() + "/eth0", T.guest() + "/docker0", T.guest() + "/eth0", T.host() + "/uplink0",
            T.inet() + "/eth0");
    List<Integer> positions = seenAt.stream().map(path::indexOf).toList();
    assertThat(positions).as("request observations arrive in path order: %s", seenAt).doesNotContain(-1).isSorted();
    assertThat(events).anyMatch(e -> e.name().equals("observation")
        && e.data().path("direction").asText().equals("reply"));

    Capture capture = capture(events);
    assertThat(capture.probes().get(0).protocol().word()).isEqualTo(protocol);
    if (port != null) {
      assertThat(capture.probes().get(0).dstPort()).isEqualTo(port);
    }
    Verdict v = capture.verdicts().get(0);
    assertThat(v.outcome()).as(String.join("\n", v.evidence())).isEqualTo(Outcome.REACHED);
    assertStreamedAsSeen(events);
    assertThat(capture.observations()).hasSize((int) events.stream().filter(e -> e.name().equals("observation")).count());
  }

  /**
   * Streamed as seen, not replayed from the capture afterwards: the probing loop only ends after at
   * least 30 ms without a sighting (EndOfTraceWindow), so the first observation must reach the client
   * well before the capture; a replay would send both within a millisecond.
   */
  static void assertStreamedAsSeen(List<Event> events) {
    long first = events.stream().filter(e -> e.name().equals("observation")).findFirst().orElseThrow().arrivedNs();
    long done = events.stream().filter(e -> e.name().equals("capture")).findFirst().orElseThrow().arrivedNs();
    System.out.printf("live trace: %d events, first observation %.1f ms before the capture%n", events.size(),
        (done - first) / 1e6);
    assertThat(done - first).as("ns between the first observation and the capture").isGreaterThan(20_000_000L);
  }

  @Test
  void guestForwardDropStopsAtTheGuestFilter() throws Exception {
    lab.breakFault(LabFault.GUEST_FORWARD_DROP);
    try {
      List<Event> events = trace("{\"source\":\"netns:" + T.ctr() + "\",\"destination\":\"" + LabTopology.REMOTE
          + "\",\"protocol\":\"icmp\"}");
      assertThat(events).anyMatch(e -> e.name().equals("observation")
          && e.data().path("layerId").asText().equals(T.guest() + "/docker0"));
      assertThat(events).noneMatch(e -> e.name().equals("observation")
          && e.data().path("layerId").asText().equals(T.inet() + "/eth0"));
      assertStreamedAsSeen(events);
      Verdict v = capture(events).verdicts().get(0);
      assertThat(LabFault.GUEST_FORWARD_DROP.expectedVerdict(T).matches(v)).as("%s %s %s%n%s", v.outcome(), v.layer(),
          v.cause(), String.join("\n", v.evidence())).isTrue();
      assertThat(v.outcome()).isEqualTo(Outcome.STOPPED);
      assertThat(v.layer().kind()).isEqualTo(dev.layertrace.model.LayerKind.FILTER);
      assertThat(v.layer().netns()).isEqualTo(T.guest());
      JsonNode status = events.stream().filter(e -> e.name().equals("status")).findFirst().orElseThrow().data();
      System.out.println("stopped status: " + status);
    } finally {
      lab.heal(LabFault.GUEST_FORWARD_DROP);
      lab.reach(20, 200);
    }
  }

  @Test
  void aBadSourceIs400AndAnUnknownNamespaceEndsTheStreamWithItsMessage() throws Exception {
    HttpResponse<java.util.stream.Stream<String>> bad = post("{\"source\":\"pid:0\",\"destination\":\""
        + LabTopology.REMOTE + "\"}", token);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(post("{\"source\":\"netns:" + T.ctr() + "\",\"destination\":\"" + LabTopology.REMOTE + "\"}", null)
        .statusCode()).isEqualTo(403);

    List<Event> events = events(post("{\"source\":\"netns:lt-tlive-nope\",\"destination\":\"" + LabTopology.REMOTE
        + "\"}", token));
    assertThat(events).extracting(Event::name).containsExactly("error", "done");
    assertThat(events.get(0).data().path("error").asText()).contains("lt-tlive-nope");
  }
}
