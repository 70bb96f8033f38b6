package dev.layertrace.render;

import dev.layertrace.model.Capture;
import dev.layertrace.model.Layer;
import dev.layertrace.model.Verdict;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The terminal view: a header, one line per layer with its status mark, then verdict, cause,
 * evidence and fix. ANSI colour only when {@link RenderOptions#color()}; pure ASCII when
 * {@link RenderOptions#ascii()}.
 */
public final class TextRenderer implements Renderer {
  private static final String RESET = "\u001b[0m";
  private static final String STOP_MARKER = "◀ stopped here";

  @Override
  public String name() {
    return "text";
  }

  @Override
  public List<String> extensions() {
    return List.of(".txt");
  }

  @Override
  public void render(Capture capture, RenderOptions options, OutputStream out) throws IOException {
    out.write(text(capture, options).getBytes(StandardCharsets.UTF_8));
  }

  /** The whole text, ending in a newline. */
  public String text(Capture capture, RenderOptions options) {
    TracedPath path = TracedPath.of(capture, options.probeId());
    StringBuilder b = new StringBuilder();
    b.append(oneLine(header(path))).append('\n');

    int kindW = width(path, t -> t.layer().kind().word());
    int nsW = width(path, t -> orEmpty(t.layer().netns()));
    int ifW = width(path, t -> orEmpty(t.layer().iface()));
    for (TracedLayer t : path.layers()) {
      Layer l = t.layer();
      String mark = t.status().mark(options.ascii());
      StringBuilder line = new StringBuilder("  ");
      line.append(color(options, t.status(), pad(mark, options.ascii() ? 2 : 1))).append(' ');
      line.append(pad(l.kind().word(), kindW)).append("  ");
      line.append(pad(orEmpty(l.netns()), nsW)).append("  ");
      line.append(pad(orEmpty(l.iface()), ifW)).append("  ");
      line.append(oneLine(LayerFacts.describe(t)));
      if (t.status() == LayerStatus.STOPPED) {
        line.append("  ").append(color(options, LayerStatus.STOPPED, STOP_MARKER));
      }
      b.append(stripTrailing(line)).append('\n');
    }
    verdict(b, path.verdict(), options);
    String s = b.toString();
    return options.ascii() ? Escape.ascii(s) : s;
  }

  private static String header(TracedPath path) {
    int n = path.layers().size();
    String counts = path.kernels() + (path.kernels() == 1 ? " kernel, " : " kernels, ")
        + n + (n == 1 ? " layer" : " layers");
    if (path.probe() == null) {
      return "path, " + counts + " (no probe traced)";
    }
    return path.probe().describe() + ", probe " + path.probe().id() + ", " + counts;
  }

  private static void verdict(StringBuilder b, Verdict v, RenderOptions o) {
    if (v == null) {
      b.append("verdict  none: no probe was traced\n");
      return;
    }
    LayerStatus tone = switch (v.outcome()) {
      case REACHED -> LayerStatus.SEEN;
      case ERROR -> LayerStatus.UNEXPECTED;
      default -> LayerStatus.STOPPED;
    };
    b.append("verdict  ").append(color(o, tone, oneLine(LayerFacts.verdictLine(v)))).append('\n');
    if (v.cause() != null || v.explanation() != null) {
      b.append("cause    ").append(v.cause() == null ? "" : oneLine(v.cause()))
          .append(v.cause() != null && v.explanation() != null ? ": " : "")
          .append(v.explanation() == null ? "" : oneLine(v.explanation())).append('\n');
    }
    for (int i = 0; i < v.evidence().size(); i++) {
      b.append(i == 0 ? "evidence " : "         ").append(oneLine(v.evidence().get(i))).append('\n');
    }
    if (v.fix() != null) {
      b.append("fix      ").append(oneLine(v.fix())).append('\n');
    }
  }

  private static String color(RenderOptions o, LayerStatus s, String text) {
    if (!o.color()) {
      return text;
    }
    String code = switch (s) {
      case SEEN -> "\u001b[32m";
      case UNEXPECTED -> "\u001b[33m";
      case STOPPED -> "\u001b[1;31m";
      case NOT_REACHED -> "\u001b[2m";
    };
    return code + text + RESET;
  }

  private static int width(TracedPath p, java.util.function.Function<TracedLayer, String> f) {
    return p.layers().stream().mapToInt(t -> f.apply(t).length()).max().orElse(0);
  }

  private static String pad(String s, int w) {
    return s.length() >= w ? s : s + " ".repeat(w - s.length());
  }

  private static String orEmpty(String s) {
    return s == null ? "" : oneLine(s);
  }

  /** Control characters in names or explanations must not move the cursor or forge lines. */
  private static String oneLine(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return b.toString();
  }

  private static String stripTrailing(StringBuilder line) {
    return line.toString().stripTrailing();
  }
}
