package dev.layertrace.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** {@code "iptables": false} in {@code /etc/docker/daemon.json}: Docker then writes no NAT or FORWARD rules. */
public final class DockerIptablesSettingCheck implements Check {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String id() {
    return "docker.iptables";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.DOCKER;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    FileFact f = facts.file(FactPaths.DOCKER_DAEMON_JSON);
    String why = "with \"iptables\": false Docker adds no MASQUERADE or FORWARD accept rules: containers cannot"
        + " reach the outside unless you write those rules yourself";
    String fix = "remove \"iptables\": false from /etc/docker/daemon.json and restart dockerd";
    if (f.absent()) {
      return result(CheckStatus.OK, List.of(f.evidence() + " (Docker's default: iptables true)"), why, fix);
    }
    if (!f.present()) {
      return result(CheckStatus.UNKNOWN, List.of(f.evidence()), why, fix);
    }
    JsonNode root;
    try {
      root = JSON.readTree(f.content());
    } catch (JsonProcessingException e) {
      return result(CheckStatus.WRONG, List.of(FactPaths.DOCKER_DAEMON_JSON + " is not valid JSON: "
          + e.getOriginalMessage()), "dockerd refuses to start: \"unable to configure the Docker daemon with file"
          + " /etc/docker/daemon.json\"", "fix the JSON syntax of /etc/docker/daemon.json");
    }
    JsonNode v = root == null ? null : root.get("iptables");
    if (v != null && v.isBoolean() && !v.booleanValue()) {
      return result(CheckStatus.WRONG, List.of(FactPaths.DOCKER_DAEMON_JSON + ": \"iptables\": false"), why, fix);
    }
    return result(CheckStatus.OK, List.of(FactPaths.DOCKER_DAEMON_JSON + ": \"iptables\": "
        + (v == null ? "not set (default true)" : v.toString())), why, fix);
  }
}
