package dev.layertrace.lab.qemu;

import java.util.Objects;

/** One entry of the guest's initramfs, named by its absolute path inside the guest. */
public sealed interface InitramfsEntry {
  /** The absolute path inside the guest ({@code /usr/bin/ip}). */
  String path();

  /** A directory. */
  record Directory(String path, int mode) implements InitramfsEntry {
    public Directory {
      requireAbsolute(path);
    }
  }

  /** A file whose bytes are read from the host at {@code source} (symbolic links followed). */
  record HostFile(String path, String source, int mode) implements InitramfsEntry {
    public HostFile {
      requireAbsolute(path);
      Objects.requireNonNull(source, "source");
    }
  }

  /** A file made by layertrace (the init script, /etc/passwd, a trimmed modules.dep). */
  record Text(String path, String content, int mode) implements InitramfsEntry {
    public Text {
      requireAbsolute(path);
      Objects.requireNonNull(content, "content");
    }
  }

  /** A symbolic link to {@code target}. */
  record Symlink(String path, String target) implements InitramfsEntry {
    public Symlink {
      requireAbsolute(path);
      Objects.requireNonNull(target, "target");
    }
  }

  private static void requireAbsolute(String path) {
    if (!path.startsWith("/") || path.endsWith("/") || path.contains("//") || path.contains("/../")) {
      throw new IllegalArgumentException("not a plain absolute path: " + path);
    }
  }
}
