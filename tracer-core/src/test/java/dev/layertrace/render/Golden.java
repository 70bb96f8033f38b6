package dev.layertrace.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under {@code tracer-core/src/test/resources/golden/}. To regenerate after an intended
 * change, run the render tests with {@code -Dlt.golden.update=true}, e.g.
 * {@code mvn -B -pl tracer-core test -Dtest='*RendererGoldenTest' -Dlt.golden.update=true}, then review
 * the diff with {@code git diff tracer-core/src/test/resources/golden}.
 */
final class Golden {
  private Golden() {}

  static void assertMatches(String name, String actual) {
    Path file = dir().resolve(name);
    try {
      if (Boolean.getBoolean("lt.golden.update")) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
        return;
      }
      if (!Files.exists(file)) {
        fail("golden file " + file + " is missing: run with -Dlt.golden.update=true to create it");
      }
      String expected = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(actual).as("output differs from golden file %s (regenerate with -Dlt.golden.update=true"
          + " if the change is intended)", file).isEqualTo(expected);
    } catch (IOException e) {
      throw new AssertionError("cannot use golden file " + file, e);
    }
  }

  /** The source folder, so updates land in the tree and not in target/. */
  private static Path dir() {
    String root = System.getProperty("lt.repo.root");
    Path base = root != null && Files.isDirectory(Path.of(root, "tracer-core"))
        ? Path.of(root, "tracer-core") : Path.of("").toAbsolutePath();
    return base.resolve("src/test/resources/golden");
  }
}
