package dev.layertrace.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.model.Capture;
import dev.layertrace.render.DotRenderer;
import dev.layertrace.render.RenderOptions;
import dev.layertrace.render.Renderer;
import dev.layertrace.render.Renderers;
import dev.layertrace.render.engine.EngineChoice;
import dev.layertrace.render.engine.GraphvizEngine;
import dev.layertrace.sys.Commands;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code layertrace bench render CAPTURE}: how long rendering a path to SVG takes, in this JVM
 * (first and warm, per Graphviz engine) and as a fresh process, against {@code dot -Tsvg} run as a
 * process on the same DOT text.
 */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
        "Times rendering CAPTURE to SVG, in this JVM and as fresh processes, against 'dot -Tsvg'.",
        "Prints: the first render in this JVM, warm median and p95 over"
            + " --runs renders (target <= 50 ms) for each Graphviz engine available, the baseline 'dot -Tsvg'"
            + " as a process on the same DOT text (median of --runs), and the wall time of fresh processes"
            + " ('java -jar JAR render CAPTURE -o x.svg', and --launcher when given; median of --fresh-runs).",
        "Fresh-process figures need the shaded jar (mvn package); they are skipped when running from classes."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  layertrace bench render tracer-core/src/test/resources/golden/guest-no-masquerade.json",
        "  layertrace bench render trace.json --runs 100 --fresh-runs 5 --launcher ./layertrace --json bench.json",
        "  java -jar tracer-cli/target/layertrace.jar bench render trace.json \\",
        "      --java-options '-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=tracer-cli/target/layertrace.jsa'"})
public final class BenchRenderCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CAPTURE", description = "The capture to render.")
  Path capture;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "50",
      description = "Warm renders per engine, and baseline runs. Default: ${DEFAULT-VALUE}.")
  int runs;

  @Option(names = "--fresh-runs", paramLabel = "N", defaultValue = "3",
      description = "Fresh processes per variant (0 skips them). Default: ${DEFAULT-VALUE}.")
  int freshRuns;

  @Option(names = "--launcher", paramLabel = "PATH",
      description = "Also time 'PATH render CAPTURE -o x.svg' (e.g. ./layertrace).")
  Path launcher;

  @Option(names = "--java-options", paramLabel = "OPTS", defaultValue = "",
      description = "JVM options for the fresh 'java -jar' processes, e.g. the launcher's"
          + " \"-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=layertrace.jsa\".")
  String javaOptions;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
  Path json;

  /** One row of the table; null figures print as "-". */
  record Row(String figure, Double oursMs, Double baselineMs, String target) {
    Double ratio() {
      return oursMs == null || baselineMs == null || baselineMs == 0 ? null : oursMs / baselineMs;
    }
  }

  @Override
  public Integer call() throws IOException {
    List<Row> rows = rows();
    print(rows);
    if (json != null) {
      writeJson(rows);
    }
    return ExitCode.OK;
  }

  /** The figures for {@code bench all}: the same rows, every time in ms, targets as numbers. */
  List<dev.layertrace.bench.Figure> measure() throws IOException {
    String base = "render: 'dot -Tsvg' as a process on the same DOT text (median, or p95 beside p95 figures)";
    return rows().stream().filter(r -> !r.figure().startsWith("baseline:")).map(r -> new dev.layertrace.bench.Figure(
        "render", r.figure(), r.oursMs(), r.baselineMs(), "ms", target(r.target()), base)).toList();
  }

  /** {@code <= 50 ms}, {@code <= 1.5 s} as a target in ms. */
  private static dev.layertrace.bench.Target target(String text) {
    if (text == null) {
      return null;
    }
    String[] w = text.replace("<=", "").strip().split(" ");
    double v = Double.parseDouble(w[0]) * (w[1].equals("s") ? 1000 : 1);
    return dev.layertrace.bench.Target.atMost(v);
  }

  private List<Row> rows() throws IOException {
    if (runs < 1 || freshRuns < 0) {
      throw LayertraceException.usage("--runs must be at least 1 and --fresh-runs at least 0");
    }
    Capture c = CaptureCodec.read(capture);
    String dot = new DotRenderer().dot(c, RenderOptions.defaults());
    List<Row> rows = new ArrayList<>();

    boolean dotInstalled = GraphvizEngine.commandLineAvailable();
    List<Row> engineRows = new ArrayList<>();
    // The baseline runs interleaved with the cmdline engine's warm renders, so both see the same load.
    double[] baseline = dotInstalled ? new double[runs] : null;
    try (Renderers renderers = Renderers.standard()) {
      Renderer svg = renderers.byName("svg").orElseThrow();
      List<EngineChoice> engines = dotInstalled ? List.of(EngineChoice.CMDLINE, EngineChoice.V8) : List.of(EngineChoice.V8);
      for (EngineChoice e : engines) {
        RenderOptions o = RenderOptions.defaults().withEngine(e);
        long t0 = System.nanoTime();
        render(svg, c, o);
        double first = ms(System.nanoTime() - t0);
        double[] warm = new double[runs];
        if (e == EngineChoice.CMDLINE) {
          for (int i = 0; i < 3; i++) {
            dotProcess(dot);
          }
        }
        for (int i = 0; i < runs; i++) {
          long s = System.nanoTime();
          render(svg, c, o);
          warm[i] = ms(System.nanoTime() - s);
          if (e == EngineChoice.CMDLINE) {
            baseline[i] = dotProcess(dot);
          }
        }
        String n = e.word();
        engineRows.add(new Row("first render to SVG in this JVM, " + n + " engine", first, null, null));
        engineRows.add(new Row("warm render to SVG, " + n + " engine, median of " + runs, percentile(warm, 50), null,
            "<= 50 ms"));
        engineRows.add(new Row("warm render to SVG, " + n + " engine, p95 of " + runs, percentile(warm, 95), null,
            null));
      }
    }
    Double baseMedian = baseline == null ? null : percentile(baseline, 50);
    Double baseP95 = baseline == null ? null : percentile(baseline, 95);
    for (Row r : engineRows) {
      rows.add(new Row(r.figure(), r.oursMs(), r.figure().contains("p95") ? baseP95 : baseMedian, r.target()));
    }
    if (baseline != null) {
      rows.add(new Row("baseline: dot -Tsvg as a process, median of " + runs, baseMedian, baseMedian, null));
      rows.add(new Row("baseline: dot -Tsvg as a process, p95 of " + runs, baseP95, baseP95, null));
    }
    fresh(rows, baseMedian);
    return rows;
  }

  private static void render(Renderer r, Capture c, RenderOptions o) throws IOException {
    r.render(c, o, OutputStream.nullOutputStream());
  }

  /** One run of the baseline: Graphviz's {@code dot -Tsvg} as a process on the same DOT text, in ms. */
  private static double dotProcess(String dot) {
    long s = System.nanoTime();
    Commands.run(List.of("dot", "-Tsvg"), dot, Duration.ofSeconds(30)).orThrow();
    return ms(System.nanoTime() - s);
  }

  /** Fresh JVMs: the figure a user sees on the first render of a session. */
  private void fresh(List<Row> rows, Double baseMedian) throws IOException {
    Path jar = ownJar();
    if (freshRuns == 0) {
      return;
    }
    Path out = Files.createTempFile("layertrace-bench-", ".svg");
    try {
      if (jar != null) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> base = new ArrayList<>(List.of(java));
        for (String opt : javaOptions.trim().split("\\s+")) {
          if (!opt.isEmpty()) {
            base.add(opt);
          }
        }
        base.addAll(List.of("-jar", jar.toString(), "render", capture.toString(), "-o", out.toString()));
        String how = javaOptions.isBlank() ? "" : " (with --java-options)";
        rows.add(new Row("fresh JVM" + how + ": java -jar layertrace.jar render -o x.svg (auto engine), median of "
            + freshRuns,
            timeProcess(base), baseMedian, "<= 1.5 s"));
        List<String> v8 = new ArrayList<>(base);
        v8.addAll(List.of("--engine", "v8"));
        rows.add(new Row("fresh JVM" + how + ": java -jar layertrace.jar render -o x.svg --engine v8, median of "
            + freshRuns,
            timeProcess(v8), baseMedian, "<= 1.5 s"));
      } else {
        if (spec != null) {
          spec.commandLine().getErr().println("bench: not running from the shaded jar; fresh-JVM figures skipped");
        }
      }
      if (launcher != null) {
        rows.add(new Row("wall: " + launcher + " render CAPTURE -o x.svg, median of " + freshRuns,
            timeProcess(List.of(launcher.toString(), "render", capture.toString(), "-o", out.toString())),
            baseMedian, "<= 2 s"));
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private double timeProcess(List<String> argv) {
    double[] t = new double[freshRuns];
    for (int i = 0; i < freshRuns; i++) {
      long s = System.nanoTime();
      Commands.Result r = Commands.run(argv, null, Duration.ofSeconds(120));
      t[i] = ms(System.nanoTime() - s);
      if (!r.ok()) {
        throw new LayertraceException(ExitCode.INTERNAL, "'" + String.join(" ", argv) + "' failed (exit "
            + r.exitCode() + "): " + r.stderr().strip());
      }
    }
    return percentile(t, 50);
  }

  /** The jar this class was loaded from, or null when running from a classes folder (tests, IDE). */
  private static Path ownJar() {
    try {
      var src = BenchRenderCommand.class.getProtectionDomain().getCodeSource();
      Path p = src == null ? null : Path.of(src.getLocation().toURI());
      return p != null && p.toString().endsWith(".jar") ? p : null;
    } catch (java.net.URISyntaxException | SecurityException e) {
      return null;
    }
  }

  private void print(List<Row> rows) {
    PrintWriter out = spec.commandLine().getOut();
    int w = rows.stream().mapToInt(r -> r.figure().length()).max().orElse(6);
    String fmt = "%-" + w + "s | %10s | %10s | %7s | %s%n";
    out.printf(fmt, "figure", "ours", "baseline", "ratio", "target");
    out.println("-".repeat(w) + "-|-" + "-".repeat(10) + "-|-" + "-".repeat(10) + "-|-" + "-".repeat(7) + "-|-------");
    for (Row r : rows) {
      out.printf(fmt, r.figure(), msText(r.oursMs()), msText(r.baselineMs()),
          r.ratio() == null ? "-" : String.format("%.2fx", r.ratio()), r.target() == null ? "" : r.target());
    }
    out.printf("(capture %s; java %s; %d cores)%n", capture, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    out.flush();
  }

  private void writeJson(List<Row> rows) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("benchmark", "render");
    doc.put("capture", capture.toString());
    doc.put("runs", runs);
    doc.put("freshRuns", freshRuns);
    doc.put("java", System.getProperty("java.version"));
    doc.put("cores", Runtime.getRuntime().availableProcessors());
    List<Map<String, Object>> list = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("figure", r.figure());
      m.put("oursMs", round(r.oursMs()));
      m.put("baselineMs", round(r.baselineMs()));
      m.put("ratio", round(r.ratio()));
      m.put("target", r.target());
      list.add(m);
    }
    doc.put("rows", list);
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
    } catch (IOException e) {
      throw LayertraceException.input("cannot write " + json + ": " + e.getMessage(), e);
    }
  }

  private static Double round(Double d) {
    return d == null ? null : Math.round(d * 100) / 100.0;
  }

  private static String msText(Double ms) {
    if (ms == null) {
      return "-";
    }
    return ms >= 1000 ? String.format("%.2f s", ms / 1000) : String.format("%.1f ms", ms);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** Nearest-rank percentile. */
  static double percentile(double[] values, int p) {
    double[] s = values.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p / 100.0 * s.length);
    return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
  }
}
