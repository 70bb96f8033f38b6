package dev.layertrace.render;

import dev.layertrace.model.Capture;
import dev.layertrace.render.engine.GraphvizEngine;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** SVG or PNG: the {@link DotRenderer}'s graph laid out by a {@link GraphvizEngine}. */
public final class GraphImageRenderer implements Renderer {
  /** The two image formats Graphviz draws for us. */
  public enum ImageFormat { SVG, PNG }

  private final ImageFormat format;
  private final GraphvizEngine engine;
  private final DotRenderer dot = new DotRenderer();

  /** Draws {@code format} with {@code engine}, which the caller owns and closes. */
  public GraphImageRenderer(ImageFormat format, GraphvizEngine engine) {
    this.format = format;
    this.engine = engine;
  }

  @Override
  public String name() {
    return format == ImageFormat.SVG ? "svg" : "png";
  }

  @Override
  public List<String> extensions() {
    return List.of(format == ImageFormat.SVG ? ".svg" : ".png");
  }

  @Override
  public boolean binary() {
    return format == ImageFormat.PNG;
  }

  @Override
  public void render(Capture capture, RenderOptions options, OutputStream out) throws IOException {
    String source = dot.dot(capture, options);
    out.write(format == ImageFormat.SVG ? engine.svg(source, options.engine()) : engine.png(source, options.engine()));
  }
}
