package dev.layertrace.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.LayertraceException;
import dev.layertrace.model.Capture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server-sent-event plumbing of {@code POST /api/live} over a real socket. The tracer here
 * ({@link ReplayTracer}) replays the guest-no-masquerade sample capture event by event: it stands in
 * for the trace engine only to check framing, order and the end of the stream, which are pure. Real
 * live traces on a lab copy: tracer-cli's ServeLiveRootTest and {@link WebBrowserTest}.
 */
class LiveStreamTest {
  private static final String TOKEN = "fedcba9876543210fedcba9876543210";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  record Event(String name, JsonNode data) {}

  static List<Event> parse(String body) throws IOException {
    List<Event> out = new ArrayList<>();
    for (String msg : body.split("\n\n")) {
      String name = null;
      String data = null;
      for (String line : msg.split("\n")) {
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if (name != null) {
        out.add(new Event(name, JSON.readTree(data)));
      }
    }
    return out;
  }

  private HttpResponse<String> post(WebServer server, String body) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + "/api/live"))
        .header("X-Layertrace-Token", TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return client.send(req, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void streamsPathObservationsAndTheFinishedCapture() throws Exception {
    TestCaptures.writeAll(tmp);
    ReplayTracer replay = new ReplayTracer(0);
    try (WebServer server = WebServer.start(new WebConfig(tmp, "127.0.0.1", 0, true, true, TOKEN), replay)) {
      HttpResponse<String> r = post(server,
          "{\"source\":\"netns:lt-ctr\",\"destination\":\"198.51.100.10\",\"protocol\":\"udp\",\"port\":53}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
      assertThat(r.headers().firstValue("Content-Security-Policy")).isPresent();
      List<Event> events = parse(r.body());
      assertThat(events).extracting(Event::name).containsExactly("path", "observation", "observation", "observation",
          "observation", "observation", "observation", "observation", "status", "capture", "done");
      assertThat(events.get(0).data().path("path")).hasSize(14);
      assertThat(events.get(1).data().path("layerId").asText()).isEqualTo("lt-ctr/eth0");
      assertThat(events.get(8).data().path("stopIndex").asInt()).isEqualTo(5);
      assertThat(events.get(9).data().path("verdict").path("cause").asText()).isEqualTo("not-translated");
      assertThat(replay.seen).isEqualTo(new LiveRequest("netns:lt-ctr", "198.51.100.10", dev.layertrace.model.Protocol.UDP, 53));
    }
  }

  @Test
  void aFailingTraceEndsTheStreamWithItsMessage() throws Exception {
    TestCaptures.writeAll(tmp);
    LiveTracer failing = new LiveTracer() {
      @Override
      public String unavailableReason() {
        return null;
      }

      @Override
      public Capture trace(LiveRequest request, Events events) {
        throw LayertraceException.usage("no namespace 'lt-nope'");
      }
    };
    try (WebServer server = WebServer.start(new WebConfig(tmp, "127.0.0.1", 0, true, true, TOKEN), failing)) {
      List<Event> events = parse(post(server, "{\"source\":\"netns:lt-nope\",\"destination\":\"198.51.100.10\"}").body());
      assertThat(events).extracting(Event::name).containsExactly("error", "done");
      assertThat(events.get(0).data().path("error").asText()).isEqualTo("no namespace 'lt-nope'");
    }
  }
}
