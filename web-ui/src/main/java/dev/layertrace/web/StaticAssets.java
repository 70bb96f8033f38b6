package dev.layertrace.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The page's files, read once from the classpath ({@code /web/}). Only these fixed names are ever
 * served, so a request path cannot reach any other resource.
 */
final class StaticAssets {
  /** A file of the page and its media type. */
  record Asset(String contentType, byte[] body) {}

  private final Map<String, Asset> byPath;

  StaticAssets() {
    byPath = Map.of(
        "/", load("index.html", "text/html; charset=utf-8"),
        "/index.html", load("index.html", "text/html; charset=utf-8"),
        "/app.js", load("app.js", "text/javascript; charset=utf-8"),
        "/teaching.js", load("teaching.js", "text/javascript; charset=utf-8"),
        "/style.css", load("style.css", "text/css; charset=utf-8"));
  }

  Optional<Asset> get(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  private static Asset load(String name, String type) {
    try (InputStream in = StaticAssets.class.getResourceAsStream("/web/" + name)) {
      if (in == null) {
        throw new IllegalStateException("web/" + name + " is missing from the build");
      }
      return new Asset(type, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
