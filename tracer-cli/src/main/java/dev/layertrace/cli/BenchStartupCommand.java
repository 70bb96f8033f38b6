package dev.layertrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.bench.Figure;
import dev.layertrace.bench.Stats;
import dev.layertrace.bench.Target;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.sys.CommandTimer;
import dev.layertrace.sys.LabStateReader;
import dev.layertrace.sys.LabSystem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code layertrace bench startup}: the wall time of a healthy {@code layertrace trace} on the
 * standard lab as a fresh process, one JVM option at a time (what each step of the launcher buys),
 * the launcher itself, and where the time goes inside the command.
 */
@Command(
    name = "startup",
    mixinStandardHelpOptions = true,
    description = {
        "Times 'layertrace trace --from netns:lt-ctr --to 198.51.100.10' on the standard lab (brought up if needed,"
            + " left as found) as a fresh JVM: the JDK's defaults, then the serial collector, C1 only, without and"
            + " with the class-data archive, and --launcher when given; the floor ('--version' with the same"
            + " options) and the command's own phases. Target: <= 800 ms wall.",
        "Needs root and the built jar; holds the lab lock while it runs."})
public final class BenchStartupCommand implements Callable<Integer> {
  static final String SECTION = "start-up";
  private static final Pattern TIMING = Pattern.compile(
      "timing: discovery ([\\d.]+) ms, setup ([\\d.]+) ms, probe phase ([\\d.]+) ms, verdict ([\\d.]+) ms");

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--runs", defaultValue = "5", description = "Runs per variant (median). Default: ${DEFAULT-VALUE}.")
  int runs;

  @Option(names = "--launcher", paramLabel = "PATH", description = "Also time PATH trace … (e.g. ./layertrace).")
  Path launcher;

  @Option(names = "--jar", paramLabel = "FILE", description = "The layertrace jar (default: the running one).")
  Path jar;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(dev.layertrace.bench.BenchTables.text(measure()));
    out.flush();
    return ExitCode.OK;
  }

  @SuppressWarnings("try") // the try block holds the lab lock
  List<Figure> measure() {
    if (runs < 1) {
      throw LayertraceException.usage("--runs must be at least 1");
    }
    LabSystem lab = LabCommand.lab();
    boolean wasUp = LabStateReader.exists(LabTopology.CTR);
    List<String> trace = List.of("trace", "--from", "netns:" + LabTopology.CTR, "--to", LabTopology.REMOTE);
    List<Figure> figures = new ArrayList<>();
    try (LabSystem.AutoCloseableLock hold = lab.hold(); BenchJvm jvm = BenchJvm.create(jar)) {
      lab.up();
      lab.reach(20, 200);
      List<String> cds = jvm.launcherOptions(trace);
      List<String> archiveOnly = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
      cds.stream().filter(o -> o.startsWith("-XX:SharedArchiveFile=")).forEach(archiveOnly::add);
      // Each step adds to the one before; the variants take turns, so that all see the same load.
      List<Variant> variants = new ArrayList<>(List.of(
          new Variant("trace, java -jar, JDK defaults", List.of(), trace, null),
          new Variant("  + -XX:+UseSerialGC", List.of("-XX:+UseSerialGC"), trace, null),
          new Variant("  + -XX:TieredStopAtLevel=1 (C1 only)", List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
              trace, null),
          new Variant("  the same with -Xshare:off (without the JDK's own archive)",
              List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:off"), trace, null),
          new Variant("  + the launcher's class-data archive (AppCDS)", archiveOnly, trace, null),
          new Variant("  + -XX:-UsePerfData -XX:-BytecodeVerificationRemote (= the launcher's options)", cds, trace,
              Target.atMost(800)),
          new Variant("floor: '--version' with the launcher's options and archive", cds, List.of("--version"), null)));
      double[][] wall = new double[variants.size() + 1][runs];
      if (launcher != null) {
        launcherRun(trace, false); // the launcher makes its own archive on its first run after a build
      }
      for (int i = 0; i < runs; i++) {
        for (int v = 0; v < variants.size(); v++) {
          Variant x = variants.get(v);
          wall[v][i] = jvm.run(x.options(), x.args(), Set.of(0), false).wallMs();
        }
        if (launcher != null) {
          wall[variants.size()][i] = launcherRun(trace, true);
        }
      }
      double defaults = Stats.median(wall[0]);
      String base = "start-up: 'java -jar layertrace.jar trace …' with the JDK's defaults (G1, C2, the JDK's own"
          + " class-data archive), the same rounds";
      for (int v = 0; v < variants.size(); v++) {
        Variant x = variants.get(v);
        figures.add(new Figure(SECTION, x.name() + ", median of " + runs, Stats.median(wall[v]), defaults, "ms",
            x.target(), base));
      }
      if (launcher != null) {
        figures.add(new Figure(SECTION, "the launcher: " + launcher + " trace … (without its staleness check), median of " + runs,
            Stats.median(wall[variants.size()]), defaults, "ms", Target.atMost(800), base));
      }
      figures.addAll(phases(jvm, cds, trace));
    } finally {
      if (!wasUp) {
        lab.down();
      }
    }
    return figures;
  }

  /** One way of starting the command. */
  private record Variant(String name, List<String> options, List<String> args, Target target) {}

  /**
   * One run of the launcher. After the first (which builds the jar when the sources are newer and
   * makes its class-data archive), LAYERTRACE_NO_REBUILD keeps a source edit elsewhere from turning a
   * timed run into a Maven build.
   */
  private double launcherRun(List<String> trace, boolean timed) {
    List<String> argv = new ArrayList<>(timed ? List.of("env", "LAYERTRACE_NO_REBUILD=1") : List.of());
    argv.add(launcher.toString());
    argv.addAll(trace);
    CommandTimer.Timed t = CommandTimer.time(argv, Duration.ofMinutes(5));
    if (t.exitCode() != 0) {
      throw new LayertraceException(ExitCode.INTERNAL, launcher + " trace exited " + t.exitCode());
    }
    return t.wallNs() / 1e6;
  }

  /** The command's own timing note (discovery, set-up, probe phase, verdict), median of the runs. */
  private List<Figure> phases(BenchJvm jvm, List<String> opts, List<String> trace) {
    double[][] p = new double[4][runs];
    Path json;
    try {
      json = Files.createTempFile("layertrace-bench-", ".json");
    } catch (IOException e) {
      throw new LayertraceException(ExitCode.INTERNAL, "cannot create a temporary file", e);
    }
    try {
      List<String> args = new ArrayList<>(trace);
      args.addAll(List.of("-f", "json", "-o", json.toString()));
      for (int i = 0; i < runs; i++) {
        jvm.run(opts, args, Set.of(0), false);
        JsonNode notes = new ObjectMapper().readTree(json.toFile()).path("notes");
        for (JsonNode n : notes) {
          Matcher m = TIMING.matcher(n.asText());
          if (m.find()) {
            for (int k = 0; k < 4; k++) {
              p[k][i] = Double.parseDouble(m.group(k + 1));
            }
          }
        }
      }
      Files.deleteIfExists(json);
    } catch (IOException e) {
      throw new LayertraceException(ExitCode.INTERNAL, "unreadable trace output: " + e.getMessage(), e);
    }
    String[] names = {"discovery (cold JVM)", "set-up (sockets, observers, tracefs)", "probe phase",
        "verdict after injection"};
    List<Figure> out = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      out.add(Figure.of(SECTION, "  inside the command (archive on): " + names[k] + ", median", Stats.median(p[k]),
          "ms", null));
    }
    return out;
  }
}
