package dev.layertrace.sys;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * The scratch copy of the lab ({@code resources/discover/scratch-lab.sh}) in namespaces named
 * {@code PREFIX + ctr|guest|host|inet}, with a tap relay process. For root tests only.
 */
final class ScratchLab implements AutoCloseable {
  final String prefix;

  private ScratchLab(String prefix) {
    this.prefix = prefix;
  }

  static ScratchLab up(String prefix) {
    ScratchLab lab = new ScratchLab(prefix);
    try {
      lab.script("up");
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  String ns(String role) {
    return prefix + role;
  }

  /** Runs a command inside one of the lab's namespaces ({@code ip netns exec}). */
  Commands.Result exec(String role, String... argv) {
    List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns(role)));
    cmd.addAll(List.of(argv));
    return Commands.run(cmd, null, java.time.Duration.ofSeconds(30)).orThrow();
  }

  @Override
  public void close() {
    script("down");
  }

  private void script(String verb) {
    Commands.run(List.of("bash", resource("/discover/scratch-lab.sh").toString(), verb, prefix), null,
        java.time.Duration.ofSeconds(60)).orThrow();
  }

  static Path resource(String name) {
    try {
      return Path.of(ScratchLab.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
