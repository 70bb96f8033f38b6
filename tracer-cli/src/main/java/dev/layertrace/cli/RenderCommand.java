package dev.layertrace.cli;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.model.Capture;
import dev.layertrace.redact.Redactor;
import dev.layertrace.render.RenderOptions;
import dev.layertrace.render.Renderer;
import dev.layertrace.render.Renderers;
import dev.layertrace.render.engine.EngineChoice;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code layertrace render CAPTURE -o OUT}: draws a recorded capture in any output format. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
        "Renders a capture file (from 'layertrace trace' or 'layertrace path') as terminal text, Graphviz DOT,"
            + " SVG, PNG, a Mermaid flowchart, a Markdown incident report, or the capture's JSON.",
        "The format follows OUT's extension (.txt .dot .gv .svg .png .mmd .md .json) unless --format is given;"
            + " to stdout ('-', the default) it is text.",
        "Text is coloured only on a terminal and never when NO_COLOR is set."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  layertrace render captures/guest-no-masquerade.json",
        "  layertrace render trace.json -o path.svg",
        "  layertrace render trace.json -o incident.md",
        "  layertrace render trace.json --format mermaid > issue-comment.mmd",
        "  layertrace render trace.json -o path.png --engine v8",
        "  layertrace render trace.json --ascii --probe 3f9c",
        "  layertrace render trace.json --redact -o incident.md",
        "",
        "Exit codes: 0 rendered, 2 bad capture or usage, 3 a Graphviz engine is unavailable, 4 internal error."})
public final class RenderCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CAPTURE", description = "The capture file (JSON) to render.")
  Path capture;

  @Option(names = {"-o", "--output"}, paramLabel = "OUT", defaultValue = "-",
      description = "Where to write: a file, or '-' for stdout. Default: ${DEFAULT-VALUE}.")
  String output;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
      description = "text, dot, svg, png, mermaid, markdown or json; overrides OUT's extension.")
  String format;

  @Option(names = "--ascii", description = "Plain ASCII: marks ok !! XX .. and '->' instead of arrows.")
  boolean ascii;

  @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "auto",
      description = "Graphviz engine for SVG and PNG: auto (the 'dot' program when installed, else the embedded"
          + " V8 engine), cmdline or v8. Default: ${DEFAULT-VALUE}.")
  EngineChoice engine;

  @Option(names = "--probe", paramLabel = "ID", description = "Show this probe (default: the capture's first).")
  String probe;

  @Option(names = "--redact", description = "Replace addresses, MACs, namespace/interface/container names, the"
      + " hostname and home paths with consistent placeholders (192.0.2.N, 02:00:00:00:00:NN, ns1, if1, ctr1),"
      + " keeping the structure and the verdict words, so the output can go into a public incident.")
  boolean redact;

  /** Whether stdout is a terminal; tests substitute their own answer. */
  BooleanSupplier stdoutIsTerminal = () -> System.console() != null;

  @Override
  public Integer call() throws IOException {
    Capture c = CaptureCodec.read(capture);
    if (redact) {
      c = Redactor.redact(c);
    }
    boolean toStdout = output.equals("-");
    boolean terminal = toStdout && stdoutIsTerminal.getAsBoolean();
    try (Renderers renderers = Renderers.standard()) {
      Renderer r = renderers.choose(format, output);
      if (r.binary() && terminal) {
        throw LayertraceException.usage("refusing to write " + r.name().toUpperCase(java.util.Locale.ROOT)
            + " to a terminal: give -o FILE." + r.name() + " or redirect stdout");
      }
      RenderOptions options = new RenderOptions(probe, useColour(terminal, System.getenv("NO_COLOR")), ascii, engine);
      if (toStdout) {
        writeStdout(r.renderToBytes(c, options), r.binary());
      } else {
        writeFile(Path.of(output), r.renderToBytes(c, options));
      }
    }
    return ExitCode.OK;
  }

  /** Colour only on a terminal, and never when NO_COLOR (https://no-color.org) is set to anything non-empty. */
  static boolean useColour(boolean terminal, String noColor) {
    return terminal && (noColor == null || noColor.isEmpty());
  }

  private void writeStdout(byte[] bytes, boolean binary) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (binary) {
      // A PrintWriter carries characters; image bytes must go to the process's stdout as they are.
      out.flush();
      OutputStream raw = System.out;
      raw.write(bytes);
      raw.flush();
    } else {
      out.print(new String(bytes, StandardCharsets.UTF_8));
      out.flush();
    }
  }

  private static void writeFile(Path file, byte[] bytes) {
    try {
      // Rendered in memory first, so a failed render never leaves a half-written OUT behind.
      Files.write(file, bytes);
    } catch (IOException e) {
      throw LayertraceException.input("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
