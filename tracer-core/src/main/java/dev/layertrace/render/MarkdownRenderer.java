package dev.layertrace.render;

import dev.layertrace.model.Capture;
import dev.layertrace.model.Finding;
import dev.layertrace.model.Verdict;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An incident report in Markdown: title, summary, verdict with cause and explanation, evidence
 * table, the path as a Mermaid block, the fix as a shell block, and a per-layer table. Capture text
 * goes through {@link Escape#markdown}; the fix sits in a fence longer than any backtick run in it.
 */
public final class MarkdownRenderer implements Renderer {
  private final MermaidRenderer mermaid = new MermaidRenderer();

  @Override
  public String name() {
    return "markdown";
  }

  @Override
  public List<String> extensions() {
    return List.of(".md", ".markdown");
  }

  @Override
  public void render(Capture capture, RenderOptions options, OutputStream out) throws IOException {
    out.write(markdown(capture, options).getBytes(StandardCharsets.UTF_8));
  }

  /** The report, ending in a newline. */
  public String markdown(Capture capture, RenderOptions options) {
    RenderOptions o = options.withColor(false);
    TracedPath path = TracedPath.of(capture, o.probeId());
    Verdict v = path.verdict();
    StringBuilder b = new StringBuilder();
    b.append("# layertrace: ").append(v == null ? "path" : md(LayerFacts.verdictLine(v))).append("\n\n");

    b.append("## Summary\n\n| | |\n|---|---|\n");
    if (path.probe() != null) {
      row(b, "probe", md(path.probe().describe()) + " (id `" + code(path.probe().id()) + "`)");
    }
    row(b, "outcome", v == null ? "not traced" : "**" + md(LayerFacts.outcomeWords(v.outcome())) + "**");
    row(b, "stopping layer", path.stoppingLayer().map(t -> "`" + code(LayerFacts.label(t.layer())) + "`").orElse("none"));
    row(b, "path", path.layers().size() + " layers, " + path.kernels() + (path.kernels() == 1 ? " kernel" : " kernels"));
    if (capture.createdAt() != null) {
      row(b, "recorded", md(capture.createdAt()) + (capture.host() == null || capture.host().hostname() == null
          ? "" : " on " + md(capture.host().hostname())
              + (capture.host().kernelRelease() == null ? "" : " (kernel " + md(capture.host().kernelRelease()) + ")")));
    }
    if (capture.host() != null && capture.host().command() != null) {
      row(b, "command", "`" + code(capture.host().command()) + "`");
    }
    b.append('\n');

    if (v != null) {
      b.append("## Verdict\n\n**").append(md(LayerFacts.verdictLine(v))).append("**");
      if (v.cause() != null) {
        b.append(" — cause `").append(code(v.cause())).append('`');
      }
      b.append("\n\n");
      if (v.explanation() != null) {
        b.append(md(v.explanation())).append("\n\n");
      }
      if (!v.evidence().isEmpty()) {
        b.append("## Evidence\n\n| source | evidence |\n|---|---|\n");
        for (String e : v.evidence()) {
          int colon = e.indexOf(": ");
          row(b, colon < 0 ? "—" : md(e.substring(0, colon)), md(colon < 0 ? e : e.substring(colon + 2)));
        }
        b.append('\n');
      }
    }

    b.append("## Path\n\n```mermaid\n").append(mermaid.mermaid(capture, o)).append("```\n\n");

    if (v != null && v.fix() != null) {
      String fence = fence(v.fix());
      b.append("## Fix\n\n").append(fence).append("sh\n").append(v.fix().replace("\r", "")).append('\n')
          .append(fence).append("\n\n");
    }

    b.append("## Layers\n\n| # | status | kind | netns | interface | seen / fact |\n|---|---|---|---|---|---|\n");
    for (TracedLayer t : path.layers()) {
      b.append("| ").append(t.index() + 1).append(" | ").append(md(t.status().mark(o.ascii())))
          .append(' ').append(t.status().word())
          .append(" | ").append(t.layer().kind().word())
          .append(" | ").append(md(orDash(t.layer().netns())))
          .append(" | ").append(md(orDash(t.layer().iface())))
          .append(" | ").append(md(LayerFacts.describe(t))).append(" |\n");
    }

    List<Finding> findings = capture.findings();
    if (!findings.isEmpty()) {
      b.append("\n## Static findings\n\n| severity | layer | code | message |\n|---|---|---|---|\n");
      for (Finding f : findings) {
        b.append("| ").append(f.severity().word()).append(" | ")
            .append(f.layer() == null ? "—" : md(f.layer().label())).append(" | `").append(code(f.code()))
            .append("` | ").append(md(f.message())).append(" |\n");
      }
    }
    String s = b.toString();
    return o.ascii() ? Escape.ascii(s) : s;
  }

  private static void row(StringBuilder b, String key, String value) {
    b.append("| ").append(key).append(" | ").append(value).append(" |\n");
  }

  private static String md(String s) {
    return Escape.markdown(s);
  }

  /** Inside a code span: backticks cannot be escaped, so they become a look-alike; pipes break tables. */
  private static String code(String s) {
    return s.replace('`', '\'').replace("|", "\\|").replaceAll("[\\r\\n\\t]", " ");
  }

  private static String orDash(String s) {
    return s == null ? "—" : s;
  }

  private static String fence(String body) {
    int longest = 0;
    int run = 0;
    for (int i = 0; i < body.length(); i++) {
      run = body.charAt(i) == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return "`".repeat(Math.max(3, longest + 1));
  }
}
