package dev.layertrace.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Abuse of a real running server ({@link WebServer#start}, Netty on 127.0.0.1) over real sockets:
 * bad methods, huge bodies, headers trickled a byte at a time (slowloris), malformed JSON, 2000
 * connections at once. Each gets a clear 4xx/5xx JSON error or is closed in bounded time; the heap
 * stays bounded (measured after a GC, printed); and after each the server answers a normal request.
 * Bounds: the whole class takes about 20 s, most of it the slowloris deadline.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebAbuseTest {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";
  /** Heap growth allowed across one abuse, measured after a full GC. */
  private static final long HEAP_BOUND = 48L << 20;

  @TempDir
  static Path tmp;
  static WebServer server;
  static int port;

  @BeforeAll
  static void start() throws IOException {
    Path captures = tmp.resolve("captures");
    TestCaptures.writeAll(captures);
    // allowLive and root set so that a live request's body is parsed (no trace can run: 503 after it).
    server = WebServer.start(new WebConfig(captures, "127.0.0.1", 0, true, true, TOKEN),
        LiveTracer.unavailable("no trace engine in this test"));
    port = server.address().getPort();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void serverStillAnswers() throws IOException {
    Reply r = request("GET /api/captures HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).as("a normal request after the abuse").isEqualTo(200);
    assertThat(r.body()).contains("guest-no-masquerade");
  }

  @ParameterizedTest
  @ValueSource(strings = {"DELETE", "PUT", "PATCH", "TRACE", "OPTIONS", "CONNECT", "BREW", "G\u00c9T"})
  void badMethodsGetA4xx(String method) throws IOException {
    Reply r = request(method + " /api/captures HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).as(method).isBetween(400, 499);
    assertThat(r.body()).contains("\"error\"");
  }

  @Test
  void hugeBodyWithContentLengthIs413AndTheHeapStaysBounded() throws IOException {
    long before = usedHeapAfterGc();
    long sent = 0;
    try (Socket s = socket()) {
      OutputStream out = s.getOutputStream();
      out.write(("POST /api/live HTTP/1.1\r\nHost: x\r\nX-Layertrace-Token: " + TOKEN
          + "\r\nContent-Type: application/json\r\nContent-Length: 2000000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      // Up to 64 MiB: the server answers 413 once the declared length exceeds its limit and closes, so
      // the writes fail long before that.
      try {
        for (int i = 0; i < 1024; i++) {
          out.write(chunk);
          sent += chunk.length;
        }
      } catch (SocketException e) {
        // closed by the server: expected
      }
      Reply r = read(s);
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.body()).contains("larger than 64 KiB");
    }
    long grown = usedHeapAfterGc() - before;
    System.out.printf(Locale.ROOT, "huge body: sent %d KiB before the server closed; heap %+d KiB%n", sent / 1024,
        grown / 1024);
    assertThat(sent).as("bytes the server let in before closing").isLessThan(64L << 20);
    assertThat(grown).isLessThan(HEAP_BOUND);
  }

  @Test
  void hugeChunkedBodyIs413() throws IOException {
    try (Socket s = socket()) {
      OutputStream out = s.getOutputStream();
      out.write(("POST /api/live HTTP/1.1\r\nHost: x\r\nX-Layertrace-Token: " + TOKEN
          + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      try {
        for (int i = 0; i < 64; i++) {
          out.write(chunk);
        }
      } catch (SocketException e) {
        // closed by the server: expected
      }
      assertThat(read(s).status()).isEqualTo(413);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "[]", "null", "\"x\"", "{\"source\":", "{\"source\":1}", "\u0000\u0001\u0002",
      "{\"source\":\"netns:lt-ctr\",\"destination\":\"198.51.100.10\",\"protocol\":\"icmp\",\"extra\":1}",
      "{\"source\":\"netns:lt-ctr\",\"destination\":\"198.51.100.10\",\"protocol\":\"smtp\"}",
      "\u00ff\u00fe{}", "{\"a\":\"\\ud800\"}"})
  void malformedJsonIs400WithAMessage(String body) throws IOException {
    Reply r = postLive(body.getBytes(StandardCharsets.UTF_8));
    assertThat(r.status()).as(body).isEqualTo(400);
    assertThat(r.body()).contains("\"error\"");
  }

  @Test
  void deeplyNestedJsonIs400() throws IOException {
    String nested = "[".repeat(30_000) + "]".repeat(30_000); // 60 kB, under the body limit
    Reply r = postLive(nested.getBytes(StandardCharsets.US_ASCII));
    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void headersTrickledAByteAtATimeAreCutOffByTheRequestDeadline() throws Exception {
    int clients = 50;
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        Socket s = socket();
        s.getOutputStream().write("GET /api/captures HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        sockets.add(s);
      }
      long t0 = System.nanoTime();
      long limitMs = (RequestDeadline.SECONDS + 5) * 1000L;
      boolean[] done = new boolean[clients];
      int closed = 0;
      int timeouts = 0;
      // One more header byte per client every 500 ms: a read timeout alone would never fire.
      while (closed < clients && (System.nanoTime() - t0) / 1_000_000 < limitMs) {
        closed = 0;
        for (int i = 0; i < clients; i++) {
          if (done[i]) {
            closed++;
            continue;
          }
          Socket s = sockets.get(i);
          try {
            if (s.getInputStream().available() > 0) {
              done[i] = true;
              timeouts += read(s).status() == 408 ? 1 : 0;
            } else {
              s.getOutputStream().write('X');
              s.getOutputStream().flush();
            }
          } catch (IOException e) {
            done[i] = true; // reset by the server: closed all the same
          }
          closed += done[i] ? 1 : 0;
        }
        Thread.sleep(500);
      }
      long tookMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf(Locale.ROOT, "slowloris: %d trickling clients cut off after %d ms (%d read a 408)%n", clients,
          tookMs, timeouts);
      assertThat(closed).as("trickling connections closed by the server").isEqualTo(clients);
      assertThat(tookMs).isLessThan(limitMs);
      assertThat(timeouts).as("connections that read the 408").isPositive();
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void twoThousandConnectionsAreCappedAndMemoryStaysBounded() throws IOException {
    int n = 2000;
    long before = usedHeapAfterGc();
    List<Socket> sockets = new ArrayList<>();
    int ok = 0;
    int refused = 0;
    int other = 0;
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < n; i++) {
        sockets.add(socket());
      }
      long during = usedHeapAfterGc() - before;
      byte[] get = "GET /api/captures HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      for (Socket s : sockets) {
        try {
          s.getOutputStream().write(get);
        } catch (SocketException e) {
          // an over-the-cap connection may already be closed
        }
      }
      for (Socket s : sockets) {
        int status;
        try {
          status = read(s).status();
        } catch (IOException e) {
          status = -1;
        }
        if (status == 200) {
          ok++;
        } else if (status == 503) {
          refused++;
        } else {
          other++;
        }
      }
      System.out.printf(Locale.ROOT, "%d connections: %d answered 200, %d refused with 503, %d other; heap while"
          + " open %+d KiB; %d ms%n", n, ok, refused, other, during / 1024, (System.nanoTime() - t0) / 1_000_000);
      assertThat(ok).as("connections served (the cap)").isEqualTo(ConnectionLimit.MAX_CONNECTIONS);
      assertThat(refused).as("connections over the cap, each told so").isEqualTo(n - ConnectionLimit.MAX_CONNECTIONS);
      assertThat(during).isLessThan(HEAP_BOUND);
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
    long after = usedHeapAfterGc() - before;
    System.out.printf(Locale.ROOT, "after closing them: heap %+d KiB%n", after / 1024);
    assertThat(after).isLessThan(HEAP_BOUND);
  }

  // --- raw HTTP over a socket ---

  record Reply(int status, String body) {}

  static Socket socket() throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(15_000);
    return s;
  }

  static Reply postLive(byte[] body) throws IOException {
    try (Socket s = socket()) {
      OutputStream out = s.getOutputStream();
      out.write(("POST /api/live HTTP/1.1\r\nHost: x\r\nX-Layertrace-Token: " + TOKEN
          + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return read(s);
    }
  }

  static Reply request(String raw) throws IOException {
    try (Socket s = socket()) {
      s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return read(s);
    }
  }

  /** Reads one response: the status line, the headers, then Content-Length bytes of body. */
  static Reply read(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int c;
    while (true) {
      c = in.read();
      if (c < 0) {
        throw new IOException("closed before a response (" + head.size() + " bytes)");
      }
      head.write(c);
      byte[] b = head.toByteArray();
      int n = b.length;
      if (n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n') {
        break;
      }
    }
    String headers = head.toString(StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(headers.substring(9, 12));
    int length = 0;
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    byte[] body = new byte[length];
    int off = 0;
    try {
      while (off < length) {
        int r = in.read(body, off, length - off);
        if (r < 0) {
          break;
        }
        off += r;
      }
    } catch (SocketTimeoutException e) {
      // a short body is reported as such below
    }
    return new Reply(status, new String(body, 0, off, StandardCharsets.UTF_8));
  }

  static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
