package dev.layertrace.render;

import dev.layertrace.render.engine.EngineChoice;
import java.util.Objects;

/**
 * How to render a capture. The caller decides colour (the CLI: only on a terminal and when
 * {@code NO_COLOR} is unset); renderers never look at the environment themselves.
 *
 * @param probeId the probe to show, or null for the capture's first probe
 * @param color ANSI colour in text output
 * @param ascii plain ASCII marks ({@code ok !! XX ..}) and {@code ->} instead of arrows
 * @param engine which Graphviz engine lays out SVG and PNG output
 */
public record RenderOptions(String probeId, boolean color, boolean ascii, EngineChoice engine) {
  public RenderOptions {
    Objects.requireNonNull(engine, "engine");
  }

  /** First probe, no colour, Unicode marks, automatic engine choice. */
  public static RenderOptions defaults() {
    return new RenderOptions(null, false, false, EngineChoice.AUTO);
  }

  public RenderOptions withProbe(String id) {
    return new RenderOptions(id, color, ascii, engine);
  }

  public RenderOptions withColor(boolean on) {
    return new RenderOptions(probeId, on, ascii, engine);
  }

  public RenderOptions withAscii(boolean on) {
    return new RenderOptions(probeId, color, on, engine);
  }

  public RenderOptions withEngine(EngineChoice e) {
    return new RenderOptions(probeId, color, ascii, e);
  }
}
