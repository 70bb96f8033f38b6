package dev.layertrace.lab.qemu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the guest's initramfs holds, in the order it is written (every directory before what it
 * contains). Built with {@link Builder}, which lays the tree out like Debian's merged /usr ({@code /lib}
 * is a link to {@code usr/lib}) and puts every host file at the path it has on the host, so that the
 * ELF interpreter and library paths compiled into Debian's binaries hold inside the guest too.
 */
public record InitramfsPlan(List<InitramfsEntry> entries) {
  /** The links of Debian's merged /usr, made first so that host paths under /lib land in /usr/lib. */
  static final Map<String, String> MERGED_USR = Map.of("/bin", "usr/bin", "/sbin", "usr/sbin", "/lib", "usr/lib",
      "/lib64", "usr/lib64");

  public InitramfsPlan {
    entries = List.copyOf(entries);
  }

  /** The entry at {@code path}, or null. */
  public InitramfsEntry get(String path) {
    return entries.stream().filter(e -> e.path().equals(path)).findFirst().orElse(null);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects entries; a path added twice keeps its first entry (shared libraries repeat across tools). */
  public static final class Builder {
    private final Map<String, InitramfsEntry> entries = new LinkedHashMap<>();
    private final List<String> excludedPrefixes = new ArrayList<>();

    private Builder() {
      for (String d : List.of("/usr", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib64", "/etc", "/proc", "/sys",
          "/dev", "/run", "/tmp", "/mnt", "/root", "/var")) {
        entries.put(d, new InitramfsEntry.Directory(d, d.equals("/tmp") ? 01777 : 0755));
      }
      MERGED_USR.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> entries.put(e.getKey(), new InitramfsEntry.Symlink(e.getKey(), e.getValue())));
    }

    /** Host files under {@code prefix} are not copied (the JDK: it comes over virtio-9p). */
    public Builder exclude(String prefix) {
      excludedPrefixes.add(prefix.endsWith("/") ? prefix : prefix + "/");
      return this;
    }

    /** The host file {@code hostPath} at the same path in the guest. */
    public Builder hostFile(String hostPath, int mode) {
      return hostFile(hostPath, hostPath, mode);
    }

    /** The host file {@code source} at {@code guestPath}. */
    public Builder hostFile(String guestPath, String source, int mode) {
      String p = canonical(guestPath);
      if (!excluded(p)) {
        put(new InitramfsEntry.HostFile(p, source, mode));
      }
      return this;
    }

    /**
     * An executable (or shared library) with the libraries {@code lddOutput} names, each at its host
     * path: the same file in the same place, so its loader finds everything as on the host. An
     * excluded file (one of the JDK's) brings only its libraries, and may name some ldd cannot find.
     */
    public Builder elf(String hostPath, String lddOutput) {
      hostFile(hostPath, 0755);
      for (String lib : SharedLibraries.parse(lddOutput, excluded(canonical(hostPath)))) {
        hostFile(lib, 0755);
      }
      return this;
    }

    public Builder text(String guestPath, String content, int mode) {
      put(new InitramfsEntry.Text(canonical(guestPath), content, mode));
      return this;
    }

    public Builder symlink(String guestPath, String target) {
      put(new InitramfsEntry.Symlink(canonical(guestPath), target));
      return this;
    }

    public Builder directory(String guestPath) {
      String p = canonical(guestPath);
      parents(p);
      entries.putIfAbsent(p, new InitramfsEntry.Directory(p, 0755));
      return this;
    }

    /** True when something is already planned at {@code guestPath}. */
    public boolean has(String guestPath) {
      return entries.containsKey(canonical(guestPath));
    }

    private boolean excluded(String path) {
      return excludedPrefixes.stream().anyMatch(path::startsWith);
    }

    public InitramfsPlan build() {
      return new InitramfsPlan(new ArrayList<>(entries.values()));
    }

    private void put(InitramfsEntry e) {
      parents(e.path());
      entries.putIfAbsent(e.path(), e);
    }

    private void parents(String path) {
      int slash = path.lastIndexOf('/');
      if (slash <= 0) {
        return;
      }
      String parent = path.substring(0, slash);
      if (!entries.containsKey(parent)) {
        parents(parent);
        entries.put(parent, new InitramfsEntry.Directory(parent, 0755));
      }
    }

    /** {@code /lib/x86_64-linux-gnu/libc.so.6} → {@code /usr/lib/x86_64-linux-gnu/libc.so.6}. */
    static String canonical(String raw) {
      String path = java.nio.file.Path.of(raw).normalize().toString();
      for (Map.Entry<String, String> e : MERGED_USR.entrySet()) {
        if (path.startsWith(e.getKey() + "/")) {
          return "/" + e.getValue() + path.substring(e.getKey().length());
        }
      }
      return path;
    }
  }
}
