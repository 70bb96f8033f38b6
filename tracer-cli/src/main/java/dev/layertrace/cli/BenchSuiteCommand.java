package dev.layertrace.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.bench.BenchTables;
import dev.layertrace.bench.BenchmarksDocument;
import dev.layertrace.bench.Figure;
import dev.layertrace.bench.MachineFacts;
import dev.layertrace.bench.SuiteReport;
import dev.layertrace.sys.MachineFactsReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code layertrace bench all}: every benchmark in one run, each figure beside its baseline measured
 * in the same run, as one table, as JSON, and as the generated section of BENCHMARKS.md.
 */
@Command(
    name = "all",
    mixinStandardHelpOptions = true,
    description = {
        "Runs every benchmark one after the other — doctor, render, web, trace, start-up, lab, repeat (traces in a"
            + " loop: trace --repeat on the lab) and scale (traces as separate sessions, a busy link, big hosts) — and"
            + " prints one table: figure, ours, baseline, ratio, target,"
            + " met?. Writes the figures as JSON (--json) and regenerates the generated section of BENCHMARKS.md"
            + " (--markdown) with the machine's facts, the date and this command. Takes about 4 minutes.",
        "Needs root, iperf3, ping, graphviz (dot) and the built jar; uses the standard lab (under its lock; left"
            + " as found) and lab copies that are removed afterwards. A section that cannot run is named in the"
            + " notes and the exit code is 1."},
    footerHeading = "%nExamples:%n",
    footer = {"  sudo ./layertrace bench all --launcher ./layertrace",
        "  sudo ./layertrace bench all --json bench-results.json --markdown BENCHMARKS.md --launcher ./layertrace",
        "  sudo ./layertrace bench all --skip render,web --containers 10,100 --no-markdown"})
public final class BenchSuiteCommand implements Callable<Integer> {
  private static final List<String> SECTIONS = List.of("doctor", "render", "web", "trace", "startup", "lab", "repeat",
      "scale");

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", paramLabel = "FILE", defaultValue = "bench-results.json",
      description = "Write the report as JSON here. Default: ${DEFAULT-VALUE}.")
  Path json;

  @Option(names = "--markdown", paramLabel = "FILE", defaultValue = "BENCHMARKS.md",
      description = "Regenerate the generated section of this file. Default: ${DEFAULT-VALUE}.")
  Path markdown;

  @Option(names = "--no-markdown", description = "Leave BENCHMARKS.md alone.")
  boolean noMarkdown;

  @Option(names = "--capture", paramLabel = "FILE", defaultValue = "captures/guest-no-masquerade.json",
      description = "The capture to render. Default: ${DEFAULT-VALUE}.")
  Path capture;

  @Option(names = "--captures", paramLabel = "DIR", defaultValue = "captures",
      description = "The web benchmark's capture folder. Default: ${DEFAULT-VALUE}.")
  Path captures;

  @Option(names = "--launcher", paramLabel = "PATH",
      description = "Also time the launcher script, e.g. ./layertrace (it may rebuild its jar first).")
  Path launcher;

  @Option(names = "--containers", split = ",", defaultValue = "10,100,1000",
      description = "Container counts for the big-host figures. Default: ${DEFAULT-VALUE}.")
  List<Integer> containers;

  @Option(names = "--skip", split = ",", paramLabel = "SECTION",
      description = "Sections to leave out: doctor, render, web, trace, startup, lab, repeat, scale.")
  List<String> skip = new ArrayList<>();

  @Option(names = "--jar", paramLabel = "FILE", description = "The layertrace jar (default: the running one).")
  Path jar;

  @Override
  public Integer call() throws IOException {
    for (String s : skip) {
      if (!SECTIONS.contains(s)) {
        throw LayertraceException.usage("--skip: unknown section '" + s + "'; sections are " + SECTIONS);
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    MachineFacts machine = MachineFactsReader.read();
    String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    long t0 = System.nanoTime();
    List<Figure> figures = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (String section : SECTIONS) {
      if (skip.contains(section)) {
        notes.add(section + ": skipped (--skip)");
        continue;
      }
      long s = System.nanoTime();
      err.printf(Locale.ROOT, "bench all: %s… (%.0f s so far, load %.2f)%n", section, (s - t0) / 1e9,
          MachineFactsReader.loadAverage());
      err.flush();
      try {
        figures.addAll(run(section, err));
      } catch (IOException | InterruptedException | RuntimeException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        notes.add(section + ": did not run to the end: " + e.getMessage());
        err.println("bench all: " + section + " failed: " + e.getMessage());
      }
      notes.add(String.format(Locale.ROOT, "%s took %.0f s", section, (System.nanoTime() - s) / 1e9));
    }
    notes.addAll(extraNotes);
    SuiteReport report = new SuiteReport(machine.withLoadAfter(MachineFactsReader.loadAverage()), date, command(),
        (System.nanoTime() - t0) / 1e9, figures, notes);
    PrintWriter out = spec.commandLine().getOut();
    out.print(BenchTables.text(report.figures()));
    notes.forEach(n -> out.println("note: " + n));
    out.printf(Locale.ROOT, "%d figures in %.0f s; %d targets missed; load average %.2f before, %.2f after%n",
        figures.size(), report.seconds(), report.missed().size(), report.machine().loadBefore(),
        report.machine().loadAfter());
    writeJson(report);
    out.println("wrote " + json);
    if (!noMarkdown) {
      String doc = Files.exists(markdown) ? Files.readString(markdown, StandardCharsets.UTF_8) : "";
      Files.writeString(markdown, BenchmarksDocument.regenerate(doc, report), StandardCharsets.UTF_8);
      out.println("regenerated the suite section of " + markdown);
    }
    out.flush();
    return notes.stream().anyMatch(n -> n.contains("did not run")) ? ExitCode.STOPPED : ExitCode.OK;
  }

  /** Notes the sections add while they run. */
  private final List<String> extraNotes = new ArrayList<>();

  private List<Figure> run(String section, PrintWriter err) throws IOException, InterruptedException {
    return switch (section) {
      case "doctor" -> {
        BenchDoctorCommand b = new BenchDoctorCommand();
        b.runs = 30;
        b.netns = null;
        yield b.measure();
      }
      case "render" -> {
        BenchRenderCommand b = new BenchRenderCommand();
        b.capture = capture;
        b.runs = 50;
        b.freshRuns = 3;
        b.javaOptions = String.join(" ", BenchJvm.LAUNCHER_OPTIONS);
        yield b.measure();
      }
      case "web" -> {
        BenchWebCommand b = new BenchWebCommand();
        b.id = "guest-no-masquerade";
        b.captures = captures;
        b.clients = 50;
        b.requests = 100;
        b.rate = 10;
        yield b.measure();
      }
      case "trace" -> {
        BenchTraceCommand b = new BenchTraceCommand();
        b.runs = 20;
        b.commands = 5;
        b.jar = jar;
        yield b.measure();
      }
      case "startup" -> {
        BenchStartupCommand b = new BenchStartupCommand();
        b.runs = 5;
        b.launcher = launcher;
        b.jar = jar;
        yield b.measure();
      }
      case "lab" -> {
        BenchLabCommand b = new BenchLabCommand();
        b.runs = 3;
        b.pings = 50;
        b.seconds = 3;
        try {
          yield b.measure();
        } finally {
          b.notes.forEach(n -> extraNotes.add("lab: " + n));
        }
      }
      case "repeat" -> {
        BenchRepeatLoop b = new BenchRepeatLoop();
        b.traces = 100;
        b.separate = 20;
        b.jar = jar != null ? jar : dev.layertrace.sys.CommandTimer.runningJar(BenchSuiteCommand.class).orElse(null);
        try {
          yield b.measure();
        } finally {
          b.notes.forEach(n -> extraNotes.add("repeat: " + n));
        }
      }
      case "scale" -> {
        BenchScaleCommand b = new BenchScaleCommand();
        b.prefix = "lt-bsc-";
        b.traces = 100;
        b.probes = 1000;
        b.floodSeconds = 8;
        b.floodPairs = 3;
        b.containers = containers;
        b.rules = 5000;
        b.runs = 3;
        b.jar = jar;
        try {
          yield b.measure(err);
        } finally {
          b.notes.forEach(n -> extraNotes.add("scale: " + n));
        }
      }
      default -> throw new IllegalStateException(section);
    };
  }

  private String command() {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    return ("layertrace " + String.join(" ", args)).strip();
  }

  private void writeJson(SuiteReport report) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("command", report.command());
    doc.put("date", report.date());
    doc.put("seconds", Math.round(report.seconds()));
    doc.put("machine", report.machine());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Figure f : report.figures()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("section", f.section());
      m.put("figure", f.name().strip());
      m.put("ours", round(f.ours()));
      m.put("baseline", f.baseline() == null ? null : round(f.baseline()));
      m.put("unit", f.unit());
      m.put("ratio", f.ratio() == null ? null : round(f.ratio()));
      m.put("target", f.target() == null ? null : f.targetText());
      m.put("met", f.met());
      m.put("baselineIs", f.baselineName());
      rows.add(m);
    }
    doc.put("figures", rows);
    doc.put("notes", report.notes());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
