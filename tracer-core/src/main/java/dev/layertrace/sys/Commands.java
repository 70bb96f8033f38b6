package dev.layertrace.sys;

import dev.layertrace.LayertraceException;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs system tools ({@code ip}, {@code nft}, {@code iptables}, {@code sysctl}) and collects their
 * output. A child inherits the network namespace of the thread that spawns it, so calling this from a
 * namespace thread runs the tool in that namespace.
 */
public final class Commands {
  private Commands() {}

  /** What a finished command returned. */
  public record Result(List<String> argv, int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** Throws unless the command exited 0; the message quotes the command and its stderr. */
    public Result orThrow() {
      if (exitCode != 0) {
        throw new CommandFailedException(this);
      }
      return this;
    }
  }

  /** A tool exited non-zero where it should not have. */
  public static final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Result result;

    CommandFailedException(Result r) {
      super("'" + String.join(" ", r.argv()) + "' failed (exit " + r.exitCode() + ")"
          + (r.stderr().isBlank() ? "" : ": " + r.stderr().strip().lines().findFirst().orElse("")));
      this.result = r;
    }

    public Result result() {
      return result;
    }
  }

  /** Runs {@code argv} with a 30 s limit. */
  public static Result run(String... argv) {
    return run(List.of(argv), null, Duration.ofSeconds(30));
  }

  /** Runs {@code argv}, feeding {@code stdin} (may be null), killing it after {@code timeout}. */
  public static Result run(List<String> argv, String stdin, Duration timeout) {
    return start(argv, stdin, timeout).await();
  }

  /**
   * Starts {@code argv} and returns at once: {@link Running#await} collects it. The child inherits the
   * namespace of the thread calling this, so a namespace thread can start several tools that then run
   * side by side, and collect them from anywhere.
   */
  public static Running start(List<String> argv, String stdin, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().put("LC_ALL", "C");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw LayertraceException.missingFeature("cannot run '" + argv.get(0) + "': " + e.getMessage());
    }
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()), Reaper.IO);
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()), Reaper.IO);
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      p.destroyForcibly();
      throw new UncheckedIOException(e);
    }
    return new Running(List.copyOf(argv), p, out, err, System.nanoTime() + timeout.toNanos(), timeout);
  }

  /** A started command; {@link #await} waits for it (until its deadline, then kills it). */
  public static final class Running {
    private final List<String> argv;
    private final Process process;
    private final CompletableFuture<byte[]> out;
    private final CompletableFuture<byte[]> err;
    private final long deadlineNs;
    private final Duration timeout;

    private Running(List<String> argv, Process process, CompletableFuture<byte[]> out, CompletableFuture<byte[]> err,
        long deadlineNs, Duration timeout) {
      this.argv = argv;
      this.process = process;
      this.out = out;
      this.err = err;
      this.deadlineNs = deadlineNs;
      this.timeout = timeout;
    }

    /** Whether the command has not ended yet. */
    public boolean running() {
      return process.isAlive();
    }

    /** Waits for the command to end and returns what it printed; kills it past its deadline. */
    public Result await() {
      try {
        if (!process.waitFor(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          process.destroyForcibly();
          process.waitFor();
          throw new LayertraceException(dev.layertrace.ExitCode.INTERNAL,
              "'" + String.join(" ", argv) + "' did not finish within " + timeout.toSeconds() + " s");
        }
        return new Result(argv, process.exitValue(),
            new String(out.join(), StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new LayertraceException(dev.layertrace.ExitCode.INTERNAL, "interrupted while running " + argv.get(0));
      }
    }
  }

  /** The full path of {@code tool} on the PATH (and in the sbin folders sudo may drop), if any. */
  public static java.util.Optional<Path> which(String tool) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, tool);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return java.util.Optional.of(p);
      }
    }
    return java.util.Optional.empty();
  }

  /** Fails with exit 3 naming the Debian package when {@code tool} is not installed. */
  public static Path require(String tool, String debianPackage) {
    return which(tool).orElseThrow(() -> LayertraceException.missingFeature(
        "'" + tool + "' is not installed: install the " + debianPackage + " package (apt-get install "
            + debianPackage + ")"));
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toByteArray();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /** Daemon threads that drain child output, so a hung child never keeps the JVM alive. */
  private static final class Reaper {
    static final java.util.concurrent.Executor IO = java.util.concurrent.Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "layertrace-command-io");
      t.setDaemon(true);
      return t;
    });
  }
}
