package dev.layertrace.check;

import java.util.Optional;
import java.util.function.Function;

/**
 * Signs of a kernel feature when no kernel config can be read: each returns the evidence when the
 * sign is there, empty otherwise. An absent sign proves nothing (a module may load on demand), so
 * checks that only have indicators report {@link CheckStatus#UNKNOWN}, never missing.
 */
public final class KernelIndicators {
  private KernelIndicators() {}

  /** A filesystem the kernel can mount, from {@code /proc/filesystems}. */
  public static Function<SystemFacts, Optional<String>> filesystem(String name) {
    return f -> lineMatching(f.file(FactPaths.FILESYSTEMS), name, true);
  }

  /** A module (loaded, or built in with parameters) in {@code /sys/module}. */
  public static Function<SystemFacts, Optional<String>> module(String name) {
    return f -> lineMatching(f.file(FactPaths.SYS_MODULE), name, false);
  }

  /** A namespace kind in {@code /proc/self/ns}. */
  public static Function<SystemFacts, Optional<String>> namespace(String name) {
    return f -> lineMatching(f.file(FactPaths.NAMESPACES), name, false);
  }

  /** An entry of {@code /proc/net} (e.g. {@code nf_conntrack}, {@code packet}). */
  public static Function<SystemFacts, Optional<String>> procNet(String name) {
    return f -> lineMatching(f.file(FactPaths.NET_DIR), name, false);
  }

  /** A cgroup controller the kernel has, from {@code /proc/cgroups}. */
  public static Function<SystemFacts, Optional<String>> cgroupController(String name) {
    return f -> {
      FileFact c = f.file(FactPaths.CGROUPS);
      return c.lines().stream().filter(l -> l.split("\\s+")[0].equals(name)).findFirst()
          .map(l -> FactPaths.CGROUPS + " lists " + name);
    };
  }

  /** A path that was read and found. */
  public static Function<SystemFacts, Optional<String>> present(String path) {
    return f -> f.file(path).present() ? Optional.of(path + " exists") : Optional.empty();
  }

  /** The first indicator that is there. */
  @SafeVarargs
  public static Function<SystemFacts, Optional<String>> anyOf(Function<SystemFacts, Optional<String>>... signs) {
    return f -> {
      for (var s : signs) {
        Optional<String> e = s.apply(f);
        if (e.isPresent()) {
          return e;
        }
      }
      return Optional.empty();
    };
  }

  /** No indicator: only the config can tell. */
  public static Function<SystemFacts, Optional<String>> none() {
    return f -> Optional.empty();
  }

  private static Optional<String> lineMatching(FileFact file, String name, boolean lastWord) {
    for (String line : file.lines()) {
      String[] words = line.split("\\s+");
      String w = lastWord ? words[words.length - 1] : words[0];
      if (w.equals(name)) {
        return Optional.of(file.path() + " lists " + name);
      }
    }
    return Optional.empty();
  }
}
