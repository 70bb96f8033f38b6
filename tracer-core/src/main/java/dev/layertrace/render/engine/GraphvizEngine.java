package dev.layertrace.render.engine;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.sys.Commands;
import guru.nidi.graphviz.engine.Format;
import guru.nidi.graphviz.engine.Graphviz;
import guru.nidi.graphviz.engine.GraphvizV8Engine;
import guru.nidi.graphviz.engine.Options;
import guru.nidi.graphviz.engine.Rasterizer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Lays out DOT text as SVG or PNG; the one class that uses graphviz-java (an unmaintained library,
 * kept behind this boundary).
 *
 * <p>Two engines, chosen per call by {@link EngineChoice}:
 * <ul>
 *   <li><b>cmdline</b>: Graphviz's own {@code dot} program, run through
 *       {@link dev.layertrace.sys.Commands} like every other tool, DOT text on stdin. (graphviz-java's
 *       {@code GraphvizCmdLineEngine} was measured and dropped: its temp files, shell wrapper and
 *       commons-exec threads made a warm render about 25 ms slower than {@code dot} itself, and it
 *       would have been a second place that spawns processes.)
 *   <li><b>v8</b>: graphviz-java's embedded V8 engine (viz.js). J2V8 extracts its native library
 *       into {@code user.home} unless given a directory; this class passes a fresh private directory
 *       under the cache directory to {@code new GraphvizV8Engine(extractionPath)}, loads the library
 *       from there and deletes the file once loaded (the mapping stays valid), so two JVMs never
 *       overwrite a library the other has mapped and nothing is left behind. All V8 work runs on one
 *       dedicated thread, because a V8 runtime belongs to the thread that created it.
 * </ul>
 * The engines are created on first use and kept until {@link #close()}, so warm renders are cheap.
 * No graphviz-java global ({@code Graphviz.useEngine}) is touched: engines are called directly.
 */
public final class GraphvizEngine implements AutoCloseable {
  private static final java.util.regex.Pattern FONT_FAMILY = java.util.regex.Pattern.compile("font-family=\"[^\"]*\"");
  private final Path cacheDir;
  private ExecutorService v8Thread;
  private GraphvizV8Engine v8;

  /** Uses {@code cacheDir} for the V8 engine's native library; created (mode 0700) when needed. */
  public GraphvizEngine(Path cacheDir) {
    this.cacheDir = cacheDir;
  }

  /**
   * {@code $LAYERTRACE_CACHE_DIR}, else {@code $XDG_CACHE_HOME/layertrace} when that is set, else
   * {@code java.io.tmpdir/layertrace-cache-USER}; never the bare home directory.
   */
  public static Path defaultCacheDir() {
    String own = System.getenv("LAYERTRACE_CACHE_DIR");
    if (own != null && !own.isBlank()) {
      return Path.of(own);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "layertrace");
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "layertrace-cache-" + System.getProperty("user.name"));
  }

  /** True when Graphviz's {@code dot} program is on the PATH. */
  public static boolean commandLineAvailable() {
    return Commands.which("dot").isPresent();
  }

  /** The engine {@code choice} stands for here: AUTO becomes CMDLINE when {@code dot} is installed, else V8. */
  public static EngineChoice resolve(EngineChoice choice) {
    if (choice != EngineChoice.AUTO) {
      return choice;
    }
    return commandLineAvailable() ? EngineChoice.CMDLINE : EngineChoice.V8;
  }

  /** SVG (UTF-8 XML) for {@code dot}. */
  public byte[] svg(String dot, EngineChoice choice) {
    return switch (resolve(choice)) {
      case CMDLINE -> cmdline(dot, "svg");
      default -> v8Svg(dot).getBytes(StandardCharsets.UTF_8);
    };
  }

  /** PNG for {@code dot}: drawn by {@code dot} itself, or the V8 engine's SVG rasterized in-process. */
  public byte[] png(String dot, EngineChoice choice) {
    if (resolve(choice) == EngineChoice.CMDLINE) {
      return cmdline(dot, "png");
    }
    // Salamander cannot resolve Graphviz's CSS font list ("Helvetica,sans-Serif") and logs a warning
    // per text element; Java's logical SansSerif font always exists.
    String svg = FONT_FAMILY.matcher(v8Svg(dot)).replaceAll("font-family=\"SansSerif\"");
    BufferedImage image = Rasterizer.SALAMANDER.rasterize(Graphviz.fromString(dot), g -> { }, svg);
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Runs Graphviz's {@code dot} through {@link Commands} (the sys package spawns every process): SVG
   * comes back on stdout; PNG, being binary, goes to a private temp file that is read and deleted.
   */
  private static byte[] cmdline(String dot, String format) {
    Path program = Commands.which("dot").orElseThrow(() -> LayertraceException.missingFeature(
        "Graphviz 'dot' is not installed: install the graphviz package (apt-get install graphviz) or use --engine v8"));
    if (format.equals("svg")) {
      return run(List.of(program.toString(), "-Tsvg"), dot).stdout().getBytes(StandardCharsets.UTF_8);
    }
    Path out = null;
    try {
      out = Files.createTempFile("layertrace-", "." + format);
      run(List.of(program.toString(), "-T" + format, "-o", out.toString()), dot);
      return Files.readAllBytes(out);
    } catch (IOException e) {
      throw new LayertraceException(ExitCode.INTERNAL, "cannot read Graphviz output: " + e.getMessage(), e);
    } finally {
      deleteTree(out);
    }
  }

  private static Commands.Result run(List<String> argv, String stdin) {
    Commands.Result r = Commands.run(argv, stdin, Duration.ofSeconds(60));
    if (!r.ok()) {
      throw new LayertraceException(ExitCode.INTERNAL, "Graphviz 'dot' failed (exit " + r.exitCode() + "): "
          + r.stderr().strip().lines().findFirst().orElse(""));
    }
    return r;
  }

  private String v8Svg(String dot) {
    ExecutorService thread;
    synchronized (this) {
      if (v8Thread == null) {
        v8Thread = Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "layertrace-graphviz-v8");
          t.setDaemon(true);
          return t;
        });
      }
      thread = v8Thread;
    }
    Future<String> f = thread.submit(() -> {
      if (v8 == null) {
        v8 = startV8();
      }
      return v8.execute(dot, Options.create().format(Format.SVG), Rasterizer.NONE).asString();
    });
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LayertraceException(ExitCode.INTERNAL, "interrupted while rendering", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof LayertraceException le) {
        throw le;
      }
      throw new LayertraceException(ExitCode.INTERNAL, "the V8 Graphviz engine failed: " + c, c);
    }
  }

  /** Runs on the V8 thread. */
  private GraphvizV8Engine startV8() throws IOException {
    // J2V8 loads ./jni/<library> from the working directory before anything else: under sudo, in a
    // folder someone else controls, that would run their code. Refuse rather than load it.
    Path planted = Path.of(System.getProperty("user.dir"), "jni", "libj2v8_linux_x86_64.so");
    if (Files.exists(planted, LinkOption.NOFOLLOW_LINKS)) {
      throw LayertraceException.missingFeature("refusing the V8 engine: J2V8 would load " + planted
          + " from the current directory; run from another directory or install graphviz");
    }
    Path dir = privateDirectory(cacheDir);
    Path extraction = Files.createTempDirectory(dir, "j2v8-");
    try {
      GraphvizV8Engine e = new GraphvizV8Engine(extraction.toString());
      init(e);
      return e;
    } finally {
      // Loaded libraries stay mapped after unlink; removing the file leaves nothing behind.
      deleteTree(extraction);
    }
  }

  private static void init(guru.nidi.graphviz.engine.AbstractGraphvizEngine e) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    e.init(ok -> done.complete(null), failed -> done.completeExceptionally(
        LayertraceException.missingFeature("the Graphviz engine " + failed.getClass().getSimpleName()
            + " could not start (see --debug)")));
    try {
      done.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new LayertraceException(ExitCode.INTERNAL, "interrupted while starting Graphviz", ie);
    } catch (ExecutionException | java.util.concurrent.TimeoutException ex) {
      Throwable c = ex.getCause() == null ? ex : ex.getCause();
      throw c instanceof LayertraceException le ? le
          : new LayertraceException(ExitCode.INTERNAL, "the Graphviz engine did not start: " + c, c);
    }
  }

  /** Creates {@code dir} with mode 0700, and refuses one that is a symlink or not owned by this user. */
  static Path privateDirectory(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir.getParent());
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another process created it first: checked below like any existing directory
      }
    }
    String me = System.getProperty("user.name");
    if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
        || !Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(me)) {
      throw LayertraceException.missingFeature("cache directory " + dir + " is not a directory owned by " + me
          + ": remove it or set LAYERTRACE_CACHE_DIR");
    }
    return dir;
  }

  private static void deleteTree(Path p) {
    if (p == null || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    } catch (IOException ignored) {
      // best effort: graphviz-java also sweeps its temp folder of old files
    }
  }

  /** Releases the V8 runtime (on its own thread) and stops that thread. */
  @Override
  public void close() {
    ExecutorService thread;
    synchronized (this) {
      thread = v8Thread;
      v8Thread = null;
    }
    if (thread != null) {
      thread.submit(() -> {
        if (v8 != null) {
          v8.close();
          v8 = null;
        }
      });
      thread.shutdown();
      try {
        thread.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
