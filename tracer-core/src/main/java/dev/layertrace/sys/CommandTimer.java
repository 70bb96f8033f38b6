package dev.layertrace.sys;

import java.time.Duration;
import java.util.List;

/**
 * Wall-clock time of one run of a tool, for benchmarks: a command run from this process's namespace
 * (the {@code layertrace} jar, which enters namespaces itself), or from inside a named namespace
 * (the {@code ping} baseline), so that neither pays for {@code ip netns exec}.
 */
public final class CommandTimer {
  private CommandTimer() {}

  /** How long a run took and how it ended. */
  public record Timed(long wallNs, int exitCode, String stdout) {}

  /** Runs {@code argv} here. */
  public static Timed time(List<String> argv, Duration timeout) {
    long t0 = System.nanoTime();
    Commands.Result r = Commands.run(argv, null, timeout);
    return new Timed(System.nanoTime() - t0, r.exitCode(), r.stdout());
  }

  /** Runs {@code argv} as a child of a thread inside {@code netns}; the namespace switch is not timed. */
  public static Timed timeIn(String netns, List<String> argv, Duration timeout) {
    try (NetnsExecutor inside = NetnsExecutor.enter(Netns.named(netns))) {
      return inside.call(() -> time(argv, timeout));
    }
  }

  /** The jar this process was started from, if it was started from one. */
  public static java.util.Optional<java.nio.file.Path> runningJar(Class<?> anyClassInIt) {
    try {
      java.nio.file.Path p = java.nio.file.Path.of(anyClassInIt.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      return p.toString().endsWith(".jar") ? java.util.Optional.of(p) : java.util.Optional.empty();
    } catch (java.net.URISyntaxException | SecurityException | NullPointerException e) {
      return java.util.Optional.empty();
    }
  }
}
