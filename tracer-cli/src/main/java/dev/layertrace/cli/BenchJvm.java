package dev.layertrace.cli;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.bench.GcLogPeak;
import dev.layertrace.bench.Stats;
import dev.layertrace.sys.CommandTimer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs the real {@code layertrace} command as a child JVM, as the launcher does, and times it: wall
 * time, exit code and — with a GC log — the most heap it used. Holds a class-data archive made by
 * one run of the command, as the launcher keeps one; {@link #close} removes it.
 */
final class BenchJvm implements AutoCloseable {
  /** The launcher's JVM options (see ./layertrace) without its class-data archive. */
  static final List<String> LAUNCHER_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
      "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-XX:-UsePerfData", "-XX:+UnlockDiagnosticVMOptions",
      "-XX:-BytecodeVerificationRemote");

  private final Path jar;
  private final String java;
  private final Path archive;
  private boolean archived;

  private BenchJvm(Path jar, Path archive) {
    this.jar = jar;
    this.archive = archive;
    this.java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** For the jar this process runs from (or {@code jar} when given). */
  static BenchJvm create(Path jar) {
    Path theJar = jar != null ? jar : CommandTimer.runningJar(BenchJvm.class).orElseThrow(
        () -> LayertraceException.usage("not running from a jar: give --jar tracer-cli/target/layertrace.jar"));
    try {
      Path a = Files.createTempFile("layertrace-bench-", ".jsa");
      Files.delete(a); // the JVM writes it anew
      return new BenchJvm(theJar, a);
    } catch (IOException e) {
      throw new LayertraceException(ExitCode.INTERNAL, "cannot create a temporary file: " + e.getMessage(), e);
    }
  }

  Path jar() {
    return jar;
  }

  /** One timed run. */
  record Run(double wallMs, int exitCode, long peakHeapBytes, String stdout) {}

  /** The launcher's options plus the class-data archive, made first by running {@code args} once. */
  List<String> launcherOptions(List<String> archiveWith) {
    if (!archived) {
      List<String> dump = new ArrayList<>(LAUNCHER_OPTIONS);
      dump.add("-XX:ArchiveClassesAtExit=" + archive);
      run(dump, archiveWith, Set.of(0, 1), false);
      archived = Files.isRegularFile(archive);
    }
    List<String> opts = new ArrayList<>(LAUNCHER_OPTIONS);
    if (archived) {
      opts.add("-XX:SharedArchiveFile=" + archive);
    }
    return opts;
  }

  /**
   * {@code java OPTIONS -jar JAR ARGS}; throws unless it exits with one of {@code okExits}. With
   * {@code gcLog}, the peak heap comes from its GC log (else -1).
   */
  Run run(List<String> jvmOptions, List<String> args, Set<Integer> okExits, boolean gcLog) {
    List<String> argv = new ArrayList<>(List.of(java));
    argv.addAll(jvmOptions);
    Path log = null;
    try {
      if (gcLog) {
        log = Files.createTempFile("layertrace-bench-gc-", ".log");
        // filecount=0: no rotation, or the JVM renames the file created here to .0 and leaves it.
        argv.add("-Xlog:gc,gc+heap+exit:file=" + log + "::filecount=0");
      }
      argv.addAll(List.of("-jar", jar.toString()));
      argv.addAll(args);
      CommandTimer.Timed t = CommandTimer.time(argv, Duration.ofMinutes(2));
      if (!okExits.contains(t.exitCode())) {
        throw new LayertraceException(ExitCode.INTERNAL, "'" + String.join(" ", argv) + "' exited " + t.exitCode()
            + ", expected " + okExits + ": " + t.stdout().lines().reduce((a, b) -> b).orElse(""));
      }
      long peak = log == null ? -1 : GcLogPeak.peakBytes(Files.readString(log)).orElse(-1);
      return new Run(t.wallNs() / 1e6, t.exitCode(), peak, t.stdout());
    } catch (IOException e) {
      throw new LayertraceException(ExitCode.INTERNAL, "cannot read the GC log: " + e.getMessage(), e);
    } finally {
      if (log != null) {
        try {
          Files.deleteIfExists(log);
        } catch (IOException e) {
          // a temporary file; nothing else depends on it
        }
      }
    }
  }

  /** {@code n} runs: the median wall time and the largest peak heap. */
  Run median(int n, List<String> jvmOptions, List<String> args, Set<Integer> okExits, boolean gcLog) {
    double[] wall = new double[n];
    long peak = -1;
    Run last = null;
    for (int i = 0; i < n; i++) {
      last = run(jvmOptions, args, okExits, gcLog);
      wall[i] = last.wallMs();
      peak = Math.max(peak, last.peakHeapBytes());
    }
    return new Run(Stats.median(wall), last.exitCode(), peak, last.stdout());
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(archive);
    } catch (IOException e) {
      // a temporary file; nothing else depends on it
    }
  }
}
