package dev.layertrace.render;

import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.model.Capture;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The capture itself, in the capture format ({@link CaptureCodec}); options do not apply. */
public final class JsonRenderer implements Renderer {
  @Override
  public String name() {
    return "json";
  }

  @Override
  public List<String> extensions() {
    return List.of(".json");
  }

  @Override
  public void render(Capture capture, RenderOptions options, OutputStream out) throws IOException {
    out.write(CaptureCodec.write(capture).getBytes(StandardCharsets.UTF_8));
  }
}
