package dev.layertrace.render;

import dev.layertrace.LayertraceException;
import dev.layertrace.render.engine.GraphvizEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The output formats by name and file extension. Owns the Graphviz engine the SVG and PNG
 * renderers share, so one instance should live as long as renders are expected (a CLI run, a
 * server), then be closed.
 */
public final class Renderers implements AutoCloseable {
  private final List<Renderer> all;
  private final GraphvizEngine graphviz;

  private Renderers(GraphvizEngine graphviz) {
    this.graphviz = graphviz;
    this.all = List.of(new TextRenderer(), new DotRenderer(),
        new GraphImageRenderer(GraphImageRenderer.ImageFormat.SVG, graphviz),
        new GraphImageRenderer(GraphImageRenderer.ImageFormat.PNG, graphviz),
        new MermaidRenderer(), new MarkdownRenderer(), new JsonRenderer());
  }

  /** text, dot, svg, png, mermaid, markdown, json; the V8 engine's native library goes to {@code cacheDir}. */
  public static Renderers standard(Path cacheDir) {
    return new Renderers(new GraphvizEngine(cacheDir));
  }

  /** As {@link #standard(Path)} with {@link GraphvizEngine#defaultCacheDir()}. */
  public static Renderers standard() {
    return standard(GraphvizEngine.defaultCacheDir());
  }

  public List<Renderer> all() {
    return all;
  }

  /** The renderer whose {@link Renderer#name()} is {@code name} (case-insensitive). */
  public Optional<Renderer> byName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return all.stream().filter(r -> r.name().equals(n)).findFirst();
  }

  /** The renderer for a file name's extension ({@code report.md} → markdown). */
  public Optional<Renderer> byFileName(String fileName) {
    String f = fileName.toLowerCase(Locale.ROOT);
    return all.stream().filter(r -> r.extensions().stream().anyMatch(f::endsWith)).findFirst();
  }

  /**
   * The renderer for an explicit format, else for the output's extension; stdout ({@code -} or
   * null) defaults to text.
   *
   * @throws LayertraceException (exit 2) for an unknown format or extension
   */
  public Renderer choose(String format, String output) {
    if (format != null) {
      return byName(format).orElseThrow(() -> LayertraceException.usage(
          "unknown format '" + format + "': use one of " + names()));
    }
    if (output == null || output.equals("-")) {
      return byName("text").orElseThrow();
    }
    return byFileName(output).orElseThrow(() -> LayertraceException.usage(
        "cannot tell the format of '" + output + "' from its extension: use --format (" + names()
            + ") or one of " + extensionsList()));
  }

  /** {@code text, dot, svg, …} */
  public String names() {
    return all.stream().map(Renderer::name).collect(Collectors.joining(", "));
  }

  private String extensionsList() {
    return all.stream().flatMap(r -> r.extensions().stream()).collect(Collectors.joining(" "));
  }

  @Override
  public void close() {
    graphviz.close();
  }
}
