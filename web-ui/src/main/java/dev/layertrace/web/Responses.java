package dev.layertrace.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds responses, every one with the same security headers. */
final class Responses {
  /**
   * Scripts, styles and images only from this server; no inline script, no plugins, no framing.
   * {@code img-src data:} is not needed: the page draws its own graph from JSON.
   */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
      + " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

  private Responses() {}

  static void secure(HttpHeaders h) {
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cross-Origin-Resource-Policy", "same-origin");
  }

  static FullHttpResponse bytes(HttpResponseStatus status, String contentType, byte[] body) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    secure(r.headers());
    return r;
  }

  static FullHttpResponse json(ObjectMapper mapper, HttpResponseStatus status, Object value) {
    try {
      return bytes(status, "application/json; charset=utf-8", mapper.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      return error(mapper, HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot write the response");
    }
  }

  static FullHttpResponse error(ObjectMapper mapper, HttpResponseStatus status, String message) {
    byte[] body;
    try {
      body = mapper.writeValueAsBytes(Map.of("error", message));
    } catch (JsonProcessingException e) {
      body = "{\"error\":\"internal error\"}".getBytes(StandardCharsets.UTF_8);
    }
    return bytes(status, "application/json; charset=utf-8", body);
  }
}
