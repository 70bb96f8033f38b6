package dev.layertrace.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.layertrace.LayertraceException;
import dev.layertrace.check.DoctorReport;
import dev.layertrace.check.SystemFacts;
import dev.layertrace.sys.SystemFactsReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code layertrace bench doctor}: how long doctor's full run (read every fact, evaluate every check) takes. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
        "Runs doctor's full run (read the facts, evaluate every check) repeatedly inside this JVM and prints the"
            + " first run, then median and p95 of the warm runs, split into reading and evaluating. Target: 500 ms."})
public final class BenchDoctorCommand implements Callable<Integer> {
  private static final String TARGET = "<= 500 ms";

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "20", description = "Warm runs (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--netns", paramLabel = "NAME", description = "Read the network-scoped facts from namespace NAME.")
  String netns;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
  Path json;

  @Override
  public Integer call() {
    List<BenchRenderCommand.Row> rows = rows();
    print(rows);
    if (json != null) {
      writeJson(rows);
    }
    return 0;
  }

  /** The figures for {@code bench all}. */
  List<dev.layertrace.bench.Figure> measure() {
    return rows().stream().map(r -> dev.layertrace.bench.Figure.of("doctor", r.figure().strip(), r.oursMs(), "ms",
        r.target() == null ? null : dev.layertrace.bench.Target.atMost(500))).toList();
  }

  private List<BenchRenderCommand.Row> rows() {
    if (runs < 1) {
      throw LayertraceException.usage("--runs must be at least 1");
    }
    String ns = netns == null ? "" : netns;
    long[] first = once(ns);
    double[] total = new double[runs];
    double[] read = new double[runs];
    double[] eval = new double[runs];
    for (int i = 0; i < runs; i++) {
      long[] t = once(ns);
      read[i] = t[0] / 1e6;
      eval[i] = t[1] / 1e6;
      total[i] = read[i] + eval[i];
    }
    List<BenchRenderCommand.Row> rows = List.of(
        new BenchRenderCommand.Row("first full run in this JVM (cold: class loading)", (first[0] + first[1]) / 1e6,
            null, TARGET),
        new BenchRenderCommand.Row("full run, median of " + runs, BenchRenderCommand.percentile(total, 50), null, TARGET),
        new BenchRenderCommand.Row("full run, p95 of " + runs, BenchRenderCommand.percentile(total, 95), null, TARGET),
        new BenchRenderCommand.Row("  reading the facts, median", BenchRenderCommand.percentile(read, 50), null, null),
        new BenchRenderCommand.Row("  evaluating the checks, median", BenchRenderCommand.percentile(eval, 50), null, null));
    return rows;
  }

  /** One full run: {read ns, evaluate ns}. */
  private static long[] once(String ns) {
    long t0 = System.nanoTime();
    SystemFacts facts = SystemFactsReader.read(ns);
    long t1 = System.nanoTime();
    DoctorReport.evaluate(facts);
    return new long[] {t1 - t0, System.nanoTime() - t1};
  }

  private void print(List<BenchRenderCommand.Row> rows) {
    PrintWriter out = spec.commandLine().getOut();
    int w = rows.stream().mapToInt(r -> r.figure().length()).max().orElse(6);
    String fmt = "%-" + w + "s | %10s | %s%n";
    out.printf(fmt, "figure", "ours", "target");
    out.println("-".repeat(w) + "-|-" + "-".repeat(10) + "-|-------");
    for (BenchRenderCommand.Row r : rows) {
      out.printf(fmt, r.figure(), String.format("%.1f ms", r.oursMs()), r.target() == null ? "" : r.target());
    }
    out.printf("(%s; java %s; %d cores)%n", netns == null ? "own namespaces" : "netns " + netns,
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    out.flush();
  }

  private void writeJson(List<BenchRenderCommand.Row> rows) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("benchmark", "doctor");
    doc.put("runs", runs);
    doc.put("cores", Runtime.getRuntime().availableProcessors());
    List<Map<String, Object>> list = new ArrayList<>();
    for (BenchRenderCommand.Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("figure", r.figure().strip());
      m.put("oursMs", Math.round(r.oursMs() * 100) / 100.0);
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
}
