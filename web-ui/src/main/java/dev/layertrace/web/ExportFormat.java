package dev.layertrace.web;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The files {@code GET /api/captures/{id}/export.EXT} offers, with the renderer that makes each. */
public enum ExportFormat {
  SVG("svg", "svg", "image/svg+xml; charset=utf-8"),
  PNG("png", "png", "image/png"),
  MARKDOWN("md", "markdown", "text/markdown; charset=utf-8"),
  JSON("json", "json", "application/json; charset=utf-8"),
  PCAPNG("pcapng", null, "application/vnd.tcpdump.pcap");

  private final String extension;
  private final String rendererName;
  private final String contentType;

  ExportFormat(String extension, String rendererName, String contentType) {
    this.extension = extension;
    this.rendererName = rendererName;
    this.contentType = contentType;
  }

  public String extension() {
    return extension;
  }

  /** The tracer-core {@link dev.layertrace.render.Renderers} name, or null for pcapng (not a renderer). */
  public String rendererName() {
    return rendererName;
  }

  public String contentType() {
    return contentType;
  }

  /** Costly to make (Graphviz): worth keeping per capture version. */
  boolean cacheable() {
    return this == SVG || this == PNG;
  }

  public static Optional<ExportFormat> ofExtension(String ext) {
    String e = ext.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(f -> f.extension.equals(e)).findFirst();
  }
}
