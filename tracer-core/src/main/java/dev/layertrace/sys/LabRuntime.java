package dev.layertrace.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The lab's runtime folder ({@code /run/layertrace/lab}): the lock, the relay's pidfile, log and
 * state. Everything in it is removed by {@code lab down}.
 */
public record LabRuntime(Path dir) {
  /** The standard lab's folder. */
  public static LabRuntime standard() {
    return new LabRuntime(Path.of("/run/layertrace/lab"));
  }

  public Path lockFile() {
    return dir.resolve("lock");
  }

  public Path relayPidFile() {
    return dir.resolve("vmm.pid");
  }

  public Path relayLog() {
    return dir.resolve("vmm.log");
  }

  public Path relayState() {
    return dir.resolve("vmm.state");
  }

  void create() {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  /** Deletes every file but the lock (still held by the caller), then the lock and the folder. */
  void removeAll() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        if (!p.equals(lockFile())) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(lockFile());
      Files.deleteIfExists(dir);
      // /run/layertrace itself is shared with other parts of the tool: removed only when empty.
      Path parent = dir.getParent();
      if (parent != null && parent.getFileName().toString().equals("layertrace")) {
        try (Stream<Path> rest = Files.list(parent)) {
          if (rest.findAny().isEmpty()) {
            Files.deleteIfExists(parent);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + dir, e);
    }
  }
}
