package dev.layertrace.sys;

import dev.layertrace.check.FileFact;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads one path into a {@link FileFact}: file content, a directory's entry names, or a device
 * node's type and numbers. Errors become the fact's presence (absent, denied), never exceptions.
 */
public final class FactFiles {
  private FactFiles() {}

  /** Reads {@code actual}, recording it under the name {@code key}. */
  public static FileFact read(String key, Path actual) {
    try {
      if (Files.isDirectory(actual)) {
        try (Stream<Path> s = Files.list(actual)) {
          return FileFact.present(key, s.map(p -> p.getFileName().toString()).sorted()
              .collect(Collectors.joining("\n")));
        }
      }
      Map<String, Object> attrs = Files.readAttributes(actual, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
      int type = ((Integer) attrs.get("mode")) & 0170000;
      if (type == 0020000 || type == 0060000) {
        long rdev = (Long) attrs.get("rdev");
        // glibc's major()/minor() split of a dev_t.
        long major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >> 12) & ~0xffL);
        return FileFact.present(key, (type == 0020000 ? "char " : "block ") + major + ":" + minor);
      }
      if (key.endsWith(".gz")) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(actual))) {
          return FileFact.present(key, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
      // Not Files.readString: for /proc/sys files (size 0) it returns only the first byte on JDK 17.
      try (InputStream in = Files.newInputStream(actual)) {
        return FileFact.present(key, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (NoSuchFileException e) {
      return FileFact.absent(key);
    } catch (AccessDeniedException e) {
      return new FileFact(key, FileFact.Presence.DENIED, "", "Permission denied");
    } catch (IOException | UnsupportedOperationException | java.io.UncheckedIOException e) {
      String msg = String.valueOf(e.getMessage());
      if (msg.contains("Permission denied") || msg.contains("Operation not permitted")) {
        return new FileFact(key, FileFact.Presence.DENIED, "", msg);
      }
      return new FileFact(key, FileFact.Presence.ERROR, "", msg);
    }
  }

  /** Reads {@code path} under its own name. */
  public static FileFact read(String path) {
    return read(path, Path.of(path));
  }
}
