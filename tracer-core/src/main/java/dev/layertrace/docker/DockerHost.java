package dev.layertrace.docker;

import dev.layertrace.LayertraceException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the Docker daemon listens: a unix socket, written {@code unix:///var/run/docker.sock} as in
 * {@code docker -H} and {@code DOCKER_HOST}. Only unix sockets are supported (a daemon in a lab
 * namespace is reached through the file system, never over TCP).
 */
public record DockerHost(Path socket) {
  /** Docker's own default. */
  public static final DockerHost DEFAULT = new DockerHost(Path.of("/var/run/docker.sock"));

  public DockerHost {
    if (socket == null || !socket.isAbsolute()) {
      throw LayertraceException.usage("a Docker host socket must be an absolute path: " + socket);
    }
  }

  /** Parses {@code unix:///path}; a usage error for other schemes or a relative path. */
  public static DockerHost parse(String uri) {
    String u = uri == null ? "" : uri.strip();
    if (!u.startsWith("unix://")) {
      throw LayertraceException.usage("--docker-host '" + u + "': only unix:///path/to/docker.sock is supported");
    }
    String path = u.substring("unix://".length());
    if (!path.startsWith("/") || path.length() == 1) {
      throw LayertraceException.usage("--docker-host '" + u + "': expected unix:///absolute/path");
    }
    return new DockerHost(Path.of(path));
  }

  /**
   * The daemon to talk to: the {@code --docker-host} option when given, else {@code DOCKER_HOST} from
   * {@code env}, else Docker's default socket.
   */
  public static DockerHost resolve(String option, Map<String, String> env) {
    if (option != null && !option.isBlank()) {
      return parse(option);
    }
    String fromEnv = env.get("DOCKER_HOST");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return parse(fromEnv);
    }
    return DEFAULT;
  }

  /** {@code unix:///path}, as the user would write it. */
  public String uri() {
    return "unix://" + socket;
  }

  @Override
  public String toString() {
    return uri();
  }
}
