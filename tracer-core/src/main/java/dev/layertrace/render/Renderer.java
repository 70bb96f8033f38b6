package dev.layertrace.render;

import dev.layertrace.model.Capture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Turns a capture into one output format. Implementations are stateless apart from shared engines. */
public interface Renderer {
  /** The {@code --format} word: {@code text}, {@code dot}, {@code svg}, … */
  String name();

  /** File extensions this format is chosen for, with the dot: {@code .txt}, {@code .gv}, … */
  List<String> extensions();

  /** True when the output is binary and must not be written to a terminal (PNG). */
  default boolean binary() {
    return false;
  }

  /** Writes the rendering to {@code out}; does not close it. */
  void render(Capture capture, RenderOptions options, OutputStream out) throws IOException;

  /** The rendering as bytes. */
  default byte[] renderToBytes(Capture capture, RenderOptions options) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(8192);
    try {
      render(capture, options, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toByteArray();
  }
}
