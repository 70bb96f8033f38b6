package dev.layertrace.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests sent back to back on one connection are answered in order, even when the first needs
 * Graphviz (worker thread) and the second could be answered at once (event loop).
 */
class PipeliningTest {
  @TempDir
  Path tmp;

  @Test
  void responsesKeepTheOrderOfRequests() throws Exception {
    TestCaptures.writeAll(tmp);
    try (WebServer server = WebServer.start(new WebConfig(tmp, "127.0.0.1", 0, false, false, WebConfig.randomToken()),
        LiveTracer.unavailable("off"));
        Socket s = new Socket("127.0.0.1", server.address().getPort())) {
      s.setSoTimeout(20_000);
      String get = "GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n";
      OutputStream out = s.getOutputStream();
      out.write((String.format(get, "/api/captures/guest-forward-drop/export.png")
          + String.format(get, "/app.js")
          + String.format(get, "/api/captures/nope")
          + String.format(get, "/style.css").replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"))
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.ISO_8859_1);
      Matcher m = Pattern.compile("HTTP/1.1 (\\d{3}) [^\r]*\r\n(?:[^\r]*\r\n)*?(?i:content-type): ([^;\r]*)").matcher(text);
      List<String> seen = new ArrayList<>();
      while (m.find()) {
        seen.add(m.group(1) + " " + m.group(2));
      }
      assertThat(seen).containsExactly("200 image/png", "200 text/javascript", "404 application/json", "200 text/css");
    }
  }
}
