package dev.layertrace.sys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Small tolerant readers for /proc files: a process may vanish or be unreadable at any moment. */
final class ProcReaders {
  private ProcReaders() {}

  static Optional<String> read(Path p) {
    // Through a stream, not Files.readString: for /proc/sys files (size 0) JDK 17 reads only the
    // first byte on this kernel, so "262144" came back as "2".
    try (var in = Files.newInputStream(p)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  static Optional<Path> readLink(Path p) {
    try {
      return Optional.of(Files.readSymbolicLink(p));
    } catch (IOException | SecurityException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  static Optional<Long> inode(Path p) {
    try {
      return Optional.of((Long) Files.getAttribute(p, "unix:ino"));
    } catch (IOException | SecurityException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** The one-letter state of {@code /proc/PID/stat} (after the parenthesised name, which may hold spaces). */
  static Optional<String> processState(int pid) {
    return read(Path.of("/proc", Integer.toString(pid), "stat")).flatMap(s -> {
      int close = s.lastIndexOf(')');
      return close < 0 || close + 2 >= s.length() ? Optional.empty()
          : Optional.of(s.substring(close + 2, close + 3));
    });
  }

  static Optional<String> comm(int pid) {
    return read(Path.of("/proc", Integer.toString(pid), "comm")).map(String::strip);
  }

  /** The command line with NULs as spaces, trimmed. */
  static Optional<String> cmdline(int pid) {
    return read(Path.of("/proc", Integer.toString(pid), "cmdline")).map(s -> s.replace('\0', ' ').strip())
        .filter(s -> !s.isEmpty());
  }

  /** The command line as its arguments (NUL-separated in /proc), or empty when unreadable or a kernel thread. */
  static java.util.List<String> cmdlineArgs(int pid) {
    return read(Path.of("/proc", Integer.toString(pid), "cmdline"))
        .map(s -> java.util.Arrays.stream(s.split("\0")).filter(a -> !a.isEmpty()).toList())
        .orElse(java.util.List.of());
  }

  static boolean isPid(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
