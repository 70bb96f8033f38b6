package dev.layertrace.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The boundaries of DESIGN.md, checked on the source tree: only {@code dev.layertrace.sys} uses
 * jnr-ffi (and jffi), and only {@code dev.layertrace.render.engine.GraphvizEngine} uses graphviz-java
 * (and its J2V8). An import or a fully qualified reference anywhere else fails.
 */
class NativeBoundaryTest {
  private static final Pattern JNR = Pattern.compile("\\b(jnr\\.(ffi|posix|constants|unixsocket)|com\\.kenai\\.jffi)\\.");
  private static final Pattern GRAPHVIZ = Pattern.compile("\\b(guru\\.nidi|com\\.eclipsesource\\.v8)\\.");
  private static final String SYS = "dev/layertrace/sys/";
  private static final String GRAPHVIZ_CLASS = "dev/layertrace/render/engine/GraphvizEngine.java";

  @Test
  void jnrAndGraphvizJavaStayBehindTheirBoundaries() throws IOException {
    List<String> violations = new ArrayList<>();
    List<Path> roots = sourceRoots();
    assertThat(roots).as("source roots found").isNotEmpty();
    for (Path root : roots) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          String rel = root.relativize(f).toString().replace('\\', '/');
          List<String> lines = Files.readAllLines(f);
          for (int i = 0; i < lines.size(); i++) {
            String code = stripComment(lines.get(i));
            if (JNR.matcher(code).find() && !rel.startsWith(SYS)) {
              violations.add(root.relativize(f) + ":" + (i + 1) + " uses jnr outside dev.layertrace.sys");
            }
            if (GRAPHVIZ.matcher(code).find() && !rel.equals(GRAPHVIZ_CLASS)) {
              violations.add(root.relativize(f) + ":" + (i + 1) + " uses graphviz-java outside GraphvizEngine");
            }
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void theCheckSeesTheKnownUsers() throws IOException {
    Path engine = sourceRoots().get(0).resolve(GRAPHVIZ_CLASS);
    assertThat(Files.readString(engine)).containsPattern(GRAPHVIZ);
  }

  private static String stripComment(String line) {
    String t = line.strip();
    if (t.startsWith("//") || t.startsWith("*") || t.startsWith("/*")) {
      return "";
    }
    int c = line.indexOf("//");
    return c >= 0 ? line.substring(0, c) : line;
  }

  /** tracer-core's main sources first, then the other modules' when present. */
  private static List<Path> sourceRoots() {
    String root = System.getProperty("lt.repo.root");
    Path repo = root != null && Files.isDirectory(Path.of(root, "tracer-core"))
        ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
    List<Path> roots = new ArrayList<>();
    for (String m : List.of("tracer-core", "tracer-cli", "web-ui")) {
      Path p = repo.resolve(m).resolve("src/main/java");
      if (Files.isDirectory(p)) {
        roots.add(p);
      }
    }
    return roots;
  }
}
