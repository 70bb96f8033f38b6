package dev.layertrace.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.render.Renderers;
import dev.layertrace.testing.SampleCaptures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every endpoint through the real pipeline (HTTP codec, size-limiting aggregator, router) on an
 * {@link EmbeddedChannel}: raw request bytes in, response bytes decoded by a client codec out.
 */
class WebApiHandlerTest {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;
  static Path captures;
  static Renderers renderers;

  @BeforeAll
  static void setUp() throws IOException {
    captures = tmp.resolve("captures");
    TestCaptures.writeAll(captures);
    // A valid capture outside the folder, reachable only through a symlink inside it.
    Path outside = tmp.resolve("outside");
    Files.createDirectories(outside);
    CaptureCodec.write(SampleCaptures.guestForwardDrop(), outside.resolve("secret.json"));
    Files.createSymbolicLink(captures.resolve("escape.json"), outside.resolve("secret.json"));
    Files.createSymbolicLink(captures.resolve("dir-link.json"), outside);
    Files.writeString(captures.resolve("broken.json"), "{\"schemaVersion\": \"1.0\", \"graph\": ");
    renderers = Renderers.standard(tmp.resolve("cache"));
  }

  @AfterAll
  static void tearDown() {
    renderers.close();
  }

  /** A decoded response. */
  record Response(int status, String contentType, io.netty.handler.codec.http.HttpHeaders headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  static EmbeddedChannel channel(boolean allowLive, boolean root, LiveTracer tracer) {
    WebConfig config = new WebConfig(captures, "127.0.0.1", 0, allowLive, root, TOKEN);
    EmbeddedChannel ch = new EmbeddedChannel();
    ObjectMapper mapper = new ObjectMapper();
    WebServer.configure(ch.pipeline(),
        WebServer.router(config, new CaptureStore(captures), tracer, renderers, mapper, Runnable::run), mapper);
    return ch;
  }

  static Response get(String uri) throws IOException {
    return send(channel(false, false, unavailable()), "GET " + uri + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
  }

  static LiveTracer unavailable() {
    return LiveTracer.unavailable("live tracing is not available in this build");
  }

  static Response post(EmbeddedChannel ch, String uri, String headers, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return send(ch, "POST " + uri + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + headers
        + "Content-Length: " + b.length + "\r\n\r\n" + body);
  }

  static Response send(EmbeddedChannel ch, String raw) throws IOException {
    ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.UTF_8));
    ch.runPendingTasks();
    EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(64 * 1024 * 1024));
    List<ByteBuf> out = new ArrayList<>();
    for (Object o; (o = ch.readOutbound()) != null; ) {
      out.add((ByteBuf) o);
    }
    out.forEach(client::writeInbound);
    FullHttpResponse r = client.readInbound();
    assertThat(r).as("a response to %s", raw.lines().findFirst().orElse("")).isNotNull();
    try {
      return new Response(r.status().code(), r.headers().get("Content-Type"), r.headers(), ByteBufUtil.getBytes(r.content()));
    } finally {
      r.release();
      ch.finishAndReleaseAll();
    }
  }

  static void assertSecurityHeaders(Response r) {
    assertThat(r.headers().get("Content-Security-Policy")).contains("default-src 'self'").contains("script-src 'self'")
        .doesNotContain("unsafe-inline");
    assertThat(r.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  static void assertJsonError(Response r, int status) throws IOException {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.json().path("error").asText()).isNotBlank();
    assertSecurityHeaders(r);
  }

  @ParameterizedTest
  @CsvSource({"/, text/html", "/index.html, text/html", "/app.js, text/javascript", "/teaching.js, text/javascript",
      "/style.css, text/css"})
  void servesThePageWithItsSecurityHeaders(String path, String type) throws IOException {
    Response r = get(path);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith(type);
    assertSecurityHeaders(r);
  }

  @Test
  void pageHasNoInlineScriptAndLoadsNothingFromElsewhere() throws IOException {
    String html = get("/").text();
    assertThat(html).contains("<script src=\"/app.js\"").doesNotContainPattern("<script>|<script [^>]*>[^<]")
        .doesNotContain("http://").doesNotContain("https://").doesNotContain(" style=");
    assertThat(get("/app.js").text()).doesNotContain("innerHTML").doesNotContain("outerHTML")
        .doesNotContain("insertAdjacentHTML").doesNotContain("document.write").doesNotContain("eval(");
  }

  @Test
  void listsCapturesNewestFirstWithVerdictSummary() throws IOException {
    Response r = get("/api/captures");
    assertThat(r.status()).isEqualTo(200);
    assertSecurityHeaders(r);
    JsonNode list = r.json().path("captures");
    List<String> ids = new ArrayList<>();
    list.forEach(n -> ids.add(n.path("id").asText()));
    // Symlinks out of the folder are not listed; the malformed file is, with its error.
    assertThat(ids).containsExactly("guest-forward-drop", "guest-no-masquerade", "xss-interface", "broken");
    JsonNode nm = list.get(1);
    assertThat(nm.path("outcome").asText()).isEqualTo("reply-lost");
    assertThat(nm.path("cause").asText()).isEqualTo("not-translated");
    assertThat(nm.path("layer").asText()).isEqualTo("nat lt-guest");
    assertThat(nm.path("createdAt").asText()).isEqualTo("2026-12-03T13:00:00Z");
    assertThat(nm.path("layers").asInt()).isEqualTo(14);
    assertThat(list.get(3).path("error").asText()).contains("broken.json").contains("malformed capture");
  }

  @Test
  void servesOneCaptureAsTheCaptureFormat() throws IOException {
    Response r = get("/api/captures/guest-no-masquerade");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.text()).isEqualTo(CaptureCodec.write(SampleCaptures.guestNoMasquerade()));
  }

  @Test
  void pathStatusMarksTheNatLayerStopped() throws IOException {
    JsonNode p = get("/api/captures/guest-no-masquerade/path").json();
    assertThat(p.path("stopIndex").asInt()).isEqualTo(5);
    assertThat(p.path("layers")).hasSize(14);
    assertThat(p.path("layers").get(5).path("id").asText()).isEqualTo("lt-guest/nat");
    assertThat(p.path("layers").get(5).path("status").asText()).isEqualTo("stopped");
    assertThat(p.path("layers").get(0).path("status").asText()).isEqualTo("seen");
  }

  @Test
  void graphSvgIsTheGraphvizDrawingWithNamesEscaped() throws IOException {
    Response r = get("/api/captures/guest-no-masquerade/graph.svg");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("image/svg+xml");
    assertThat(r.text()).contains("<svg").contains("lt&#45;guest");
    assertThat(r.headers().get("Content-Disposition")).isNull();

    String hostile = get("/api/captures/xss-interface/graph.svg").text();
    // The name is there, as text: Graphviz writes '<' as an entity, so no element can come of it.
    assertThat(hostile).contains("onerror=alert(1)").contains("&lt;img").doesNotContain("<img")
        .doesNotContainPattern("<[a-zA-Z]+[^>]*\\son[a-z]+=");
  }

  @ParameterizedTest
  @CsvSource({"svg, image/svg+xml", "png, image/png", "md, text/markdown", "json, application/json",
      "pcapng, application/vnd.tcpdump.pcap"})
  void exportsEachFormatAsADownload(String ext, String type) throws IOException {
    Response r = get("/api/captures/guest-no-masquerade/export." + ext);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith(type);
    assertThat(r.headers().get("Content-Disposition"))
        .isEqualTo("attachment; filename=\"guest-no-masquerade." + ext + "\"");
    byte[] b = r.body();
    switch (ext) {
      case "png" -> assertThat(b).startsWith(0x89, 'P', 'N', 'G');
      case "pcapng" -> assertThat(b).startsWith(0x0A, 0x0D, 0x0D, 0x0A);
      case "md" -> assertThat(r.text()).contains("not-translated");
      case "json" -> assertThat(r.text()).isEqualTo(CaptureCodec.write(SampleCaptures.guestNoMasquerade()));
      default -> assertThat(r.text()).contains("<svg");
    }
  }

  @Test
  void unknownExportIs404() throws IOException {
    assertJsonError(get("/api/captures/guest-no-masquerade/export.exe"), 404);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/api/captures/../../etc/passwd",
      "/api/captures/..%2f..%2fetc%2fpasswd",
      "/api/captures/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "/api/captures/%2e%2e",
      "/api/captures/..",
      "/api/captures/%2Fetc%2Fpasswd",
      "/api/captures//etc/passwd",
      "/api/captures/%252e%252e%252fetc",
      "/api/captures/..%5c..%5cetc%5cpasswd",
      "/api/captures/guest-no-masquerade%00",
      "/api/captures/.hidden",
      "/api/captures/escape",
      "/api/captures/escape/export.json",
      "/api/captures/dir-link",
      "/api/captures/%zz",
      "/../../etc/passwd",
      "/%2e%2e/%2e%2e/etc/passwd"})
  void traversalAttemptsAreRefused(String uri) throws IOException {
    Response r = get(uri);
    assertThat(r.status()).as(uri).isBetween(400, 499);
    assertJsonError(r, r.status());
    assertThat(r.text()).doesNotContain("root:").doesNotContain("a71e").doesNotContain(tmp.toString());
  }

  @Test
  void symlinkOutOfTheFolderIsForbidden() throws IOException {
    Response r = get("/api/captures/escape");
    assertJsonError(r, 403);
    assertThat(r.json().path("error").asText()).contains("outside the captures folder");
  }

  @Test
  void aChangedFileIsReadAgainAndALinkSwappedInIsCheckedAgain() throws IOException {
    Path f = captures.resolve("changing.json");
    try {
      CaptureCodec.write(SampleCaptures.guestNoMasquerade(), f);
      assertThat(get("/api/captures/changing").json().path("verdict").path("cause").asText()).isEqualTo("not-translated");
      assertThat(get("/api/captures/changing").json().path("verdict").path("cause").asText()).isEqualTo("not-translated");
      CaptureCodec.write(SampleCaptures.guestForwardDrop(), f);
      assertThat(get("/api/captures/changing").json().path("verdict").path("cause").asText()).isEqualTo("filtered");
      // Cached as a plain file, then replaced by a link out of the folder: refused, not served from the cache.
      Files.delete(f);
      Files.createSymbolicLink(f, tmp.resolve("outside").resolve("secret.json"));
      assertJsonError(get("/api/captures/changing"), 403);
    } finally {
      Files.deleteIfExists(f);
    }
  }

  @Test
  void malformedCaptureIs422WithTheReason() throws IOException {
    Response r = get("/api/captures/broken");
    assertJsonError(r, 422);
    assertThat(r.json().path("error").asText()).startsWith("broken.json:").contains("malformed capture");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/nope", "/api", "/api/nope", "/api/captures/guest-no-masquerade/nope",
      "/api/captures/guest-no-masquerade/export.svg/x", "/web/app.js"})
  void unknownPathsAre404(String uri) throws IOException {
    assertJsonError(get(uri), 404);
  }

  @Test
  void missingCaptureIs404() throws IOException {
    assertJsonError(get("/api/captures/no-such-capture"), 404);
  }

  @ParameterizedTest
  @CsvSource({"POST, /api/captures, GET", "DELETE, /api/captures/guest-no-masquerade, GET", "PUT, /, GET",
      "GET, /api/live, POST"})
  void wrongMethodIs405WithAllow(String method, String uri, String allow) throws IOException {
    Response r = send(channel(false, false, unavailable()),
        method + " " + uri + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
    assertJsonError(r, 405);
    assertThat(r.headers().get("Allow")).isEqualTo(allow);
  }

  @Test
  void oversizeBodyIs413() throws IOException {
    String big = "x".repeat(LimitedAggregator.MAX_BODY + 1);
    Response r = post(channel(true, true, unavailable()), "/api/live", "X-Layertrace-Token: " + TOKEN + "\r\n", big);
    assertJsonError(r, 413);
  }

  @Test
  void liveIsOffWithoutAllowLive() throws IOException {
    Response r = post(channel(false, true, unavailable()), "/api/live", "X-Layertrace-Token: " + TOKEN + "\r\n",
        "{\"source\":\"netns:lt-ctr\",\"destination\":\"198.51.100.10\"}");
    assertJsonError(r, 404);
    assertThat(r.json().path("error").asText()).contains("--allow-live");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "X-Layertrace-Token: wrong\r\n", "X-Layertrace-Token: " + TOKEN + "0\r\n",
      "X-Layertrace-Token: 0123456789ABCDEF0123456789ABCDEF\r\n"})
  void liveNeedsTheToken(String header) throws IOException {
    Response r = post(channel(true, true, unavailable()), "/api/live", header,
        "{\"source\":\"netns:lt-ctr\",\"destination\":\"198.51.100.10\"}");
    assertJsonError(r, 403);
    assertThat(r.json().path("error").asText()).contains("X-Layertrace-Token");
  }

  @Test
  void liveNeedsRoot() throws IOException {
    Response r = post(channel(true, false, unavailable()), "/api/live", "X-Layertrace-Token: " + TOKEN + "\r\n",
        "{\"source\":\"netns:lt-ctr\",\"destination\":\"198.51.100.10\"}");
    assertJsonError(r, 403);
    assertThat(r.json().path("error").asText()).contains("root");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{|bad JSON",
      "[]|expected an object",
      "not json|bad JSON",
      "{\"source\":1,\"destination\":\"198.51.100.10\"}|source is required",
      "{\"source\":\"netns:lt-ctr\",\"destination\":\"198.51.100.10\",\"extra\":1}|unknown field 'extra'",
      "{\"source\":\"netns:../x\",\"destination\":\"198.51.100.10\"}|source must be",
      "{\"source\":\"pid:0\",\"destination\":\"198.51.100.10\"}|source must be",
      "{\"source\":\"ip:203.0.113.256\",\"destination\":\"198.51.100.10\"}|source must be",
      "{\"source\":\"host:lt-ctr\",\"destination\":\"198.51.100.10\"}|source must be",
      "{\"source\":\"netns:lt-ctr\",\"destination\":\"example.com\"}|destination must be an IPv4 address",
      "{\"source\":\"netns:lt-ctr\",\"destination\":\"198.51.100.10\",\"protocol\":\"sctp\"}|protocol must be",
      "{\"source\":\"netns:lt-ctr\",\"destination\":\"198.51.100.10\",\"protocol\":\"tcp\"}|port must be",
      "{\"source\":\"netns:lt-ctr\",\"destination\":\"198.51.100.10\",\"protocol\":\"udp\",\"port\":70000}|port must be",
      "{\"source\":\"netns:lt-ctr\",\"destination\":\"198.51.100.10\",\"port\":80}|port does not apply"})
  void badLiveBodyIs400WithAMessage(String body, String message) throws IOException {
    Response r = post(channel(true, true, unavailable()), "/api/live", "X-Layertrace-Token: " + TOKEN + "\r\n", body);
    assertJsonError(r, 400);
    assertThat(r.json().path("error").asText()).contains(message);
  }

  @Test
  void liveWithoutATraceEngineIs503() throws IOException {
    Response r = post(channel(true, true, unavailable()), "/api/live", "X-Layertrace-Token: " + TOKEN + "\r\n",
        "{\"source\":\"netns:lt-ctr\",\"destination\":\"198.51.100.10\",\"protocol\":\"tcp\",\"port\":80}");
    assertJsonError(r, 503);
    assertThat(r.json().path("error").asText()).isEqualTo("live tracing is not available in this build");
  }

  @Test
  void malformedRequestLineIs400() throws IOException {
    Response r = send(channel(false, false, unavailable()), "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(r.status()).isBetween(400, 499);
  }
}
