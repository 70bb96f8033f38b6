package dev.layertrace.web;

import dev.layertrace.LayertraceException;
import dev.layertrace.capture.PcapngWriter;
import dev.layertrace.render.RenderOptions;
import dev.layertrace.render.Renderer;
import dev.layertrace.render.Renderers;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes the export files of a capture with tracer-core's renderers (and {@link PcapngWriter}).
 * Graphviz output is kept per capture file version, in a small LRU, because it costs tens of
 * milliseconds and the page asks for it on every visit.
 */
public final class CaptureExports {
  private static final int MAX_CACHED = 64;
  private final Renderers renderers;
  private final Map<String, byte[]> cache = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
      return size() > MAX_CACHED;
    }
  };

  /** Uses {@code renderers}, which the caller owns and closes. */
  public CaptureExports(Renderers renderers) {
    this.renderers = renderers;
  }

  /** The capture in {@code format}. */
  public byte[] export(CaptureStore.Loaded loaded, ExportFormat format) {
    if (format == ExportFormat.JSON) {
      return loaded.json();
    }
    if (format == ExportFormat.PCAPNG) {
      return PcapngWriter.write(loaded.capture());
    }
    String key = loaded.version() + "#" + format.extension();
    if (format.cacheable()) {
      synchronized (cache) {
        byte[] hit = cache.get(key);
        if (hit != null) {
          return hit;
        }
      }
    }
    Renderer r = renderers.byName(format.rendererName()).orElseThrow(() -> new ApiError(
        HttpResponseStatus.NOT_IMPLEMENTED, format.extension() + " export is not available in this build"));
    byte[] bytes;
    try {
      bytes = r.renderToBytes(loaded.capture(), RenderOptions.defaults());
    } catch (LayertraceException e) {
      // Graphviz missing or failing is a property of this machine, not of the request.
      throw new ApiError(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }
    if (format.cacheable()) {
      synchronized (cache) {
        cache.put(key, bytes);
      }
    }
    return bytes;
  }
}
