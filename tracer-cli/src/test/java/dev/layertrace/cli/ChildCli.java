package dev.layertrace.cli;

import dev.layertrace.sys.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * layertrace as a real child process: {@code java -cp <the test classpath> dev.layertrace.cli.Main
 * ARGS} (the shaded jar is built after the tests run; the classpath holds the same classes). Its
 * output goes to a log file, so a test can wait for a line and the process never blocks on a pipe.
 */
final class ChildCli {
  private final Process process;
  private final Path log;

  private ChildCli(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The command line of layertrace with {@code args}, after {@code prefix} (e.g. setpriv …). */
  static List<String> argv(List<String> prefix, String classpath, String... args) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> argv = new ArrayList<>(prefix);
    // A small heap and the serial collector: several of these run at once on 2 cores.
    argv.addAll(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath,
        Main.class.getName()));
    argv.addAll(Arrays.asList(args));
    return argv;
  }

  /** Starts layertrace {@code args} as this test JVM's child, output (both streams) to {@code log}. */
  static ChildCli start(Path log, String... args) {
    return start(List.of(), System.getProperty("java.class.path"), null, log, args);
  }

  /** As above, after {@code prefix}, with {@code classpath}, in the working directory {@code dir} (null: ours). */
  static ChildCli start(List<String> prefix, String classpath, Path dir, Path log, String... args) {
    try {
      Process p = new ProcessBuilder(argv(prefix, classpath, args)).directory(dir == null ? null : dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      return new ChildCli(p, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long pid() {
    return process.pid();
  }

  Process process() {
    return process;
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Sends {@code signal} (KILL, TERM, INT) with kill(1). */
  void signal(String signal) {
    Commands.run("kill", "-s", signal, Long.toString(process.pid()));
  }

  /** Waits for the exit; -1 when it is still running after {@code timeout} (then it is killed). */
  int await(Duration timeout) {
    try {
      if (process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        return process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
    return -1;
  }

  /** Polls the output until it contains {@code text}; false when the process ended first or on timeout. */
  boolean awaitOutput(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (output().contains(text)) {
        return true;
      }
      if (!process.isAlive()) {
        return output().contains(text);
      }
      sleep(10);
    }
    return false;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
