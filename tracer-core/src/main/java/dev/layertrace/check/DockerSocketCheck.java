package dev.layertrace.check;

import java.util.List;

/** The Docker daemon: its socket exists and a daemon accepts connections on it. */
public final class DockerSocketCheck implements Check {

  @Override
  public String id() {
    return "docker.daemon";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.DOCKER;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    SystemFacts.DockerSocketFact s = facts.dockerSocket();
    String why = "no Docker daemon answers: 'docker' commands fail with \"Cannot connect to the Docker daemon at"
        + " unix:///var/run/docker.sock. Is the docker daemon running?\"";
    if (s.path().isEmpty()) {
      return result(CheckStatus.MISSING, List.of("no socket at " + String.join(" or ", FactPaths.DOCKER_SOCKETS)),
          why, "start dockerd (systemctl start docker, or dockerd & in a microVM without systemd) and read its"
              + " log for the first error");
    }
    if (!s.answered()) {
      return result(CheckStatus.WRONG, List.of(s.path() + " exists but connect() failed: " + s.detail()), why,
          "dockerd exited and left its socket: start it again and read its log (journalctl -u docker)");
    }
    return result(CheckStatus.OK, List.of(s.path() + " accepts connections"), why, "");
  }
}
