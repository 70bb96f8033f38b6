package dev.layertrace.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The Engine API answers recorded from a real dockerd by {@code DockerLabRootTest -Dlt.record.docker=…}. */
final class DockerFixtures {
  private DockerFixtures() {}

  static String read(String name) {
    try (InputStream in = DockerFixtures.class.getResourceAsStream("/docker/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no fixture /docker/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
