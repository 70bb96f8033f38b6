package dev.layertrace.docker;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the Engine API's JSON bodies into records. Only the fields layertrace uses are read; an
 * answer without them is a {@link MalformedDockerResponse}, never a null further on.
 */
public final class DockerJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DockerJson() {}

  /** {@code GET /containers/json}: a JSON array of containers. */
  public static List<ContainerSummary> containers(String body) {
    JsonNode root = parse(body);
    if (!root.isArray()) {
      throw new MalformedDockerResponse("the container list is not a JSON array");
    }
    List<ContainerSummary> out = new ArrayList<>();
    for (JsonNode c : root) {
      List<String> names = new ArrayList<>();
      c.path("Names").forEach(n -> names.add(n.asText()));
      out.add(new ContainerSummary(required(c, "Id"), names, c.path("Image").asText(""), c.path("State").asText("")));
    }
    return List.copyOf(out);
  }

  /** {@code GET /containers/{id}/json}: one container's details. */
  public static ContainerDetails container(String body) {
    JsonNode c = parse(body);
    if (!c.isObject()) {
      throw new MalformedDockerResponse("the container details are not a JSON object");
    }
    JsonNode state = c.path("State");
    JsonNode net = c.path("NetworkSettings");
    String sandbox = net.path("SandboxKey").asText("");
    return new ContainerDetails(
        required(c, "Id"),
        ContainerNames.strip(c.path("Name").asText("")),
        c.path("Config").path("Image").asText(""),
        state.path("Running").asBoolean(false),
        state.path("Pid").asInt(0),
        net.path("IPAddress").asText(""),
        net.path("Gateway").asText(""),
        sandbox.isEmpty() ? null : Path.of(sandbox),
        c.path("HostConfig").path("NetworkMode").asText(""));
  }

  /** {@code GET /_ping} answers {@code OK}; anything else is not a Docker daemon. */
  public static void ping(String body) {
    if (!body.strip().equals("OK")) {
      throw new MalformedDockerResponse("/_ping answered '" + abbreviate(body) + "' instead of OK");
    }
  }

  /** The {@code message} of an API error body ({@code {"message": "No such container: x"}}), or the text. */
  public static String errorMessage(String body) {
    try {
      JsonNode n = MAPPER.readTree(body);
      if (n != null && n.hasNonNull("message")) {
        return n.get("message").asText();
      }
    } catch (JacksonException e) {
      // not JSON: the text itself says more than nothing
    }
    return abbreviate(body);
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode n = MAPPER.readTree(body);
      if (n == null || n.isMissingNode()) {
        throw new MalformedDockerResponse("empty body");
      }
      return n;
    } catch (JacksonException e) {
      throw new MalformedDockerResponse("not JSON: '" + abbreviate(body) + "'", e);
    }
  }

  private static String required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new MalformedDockerResponse("no \"" + field + "\" in " + abbreviate(n.toString()));
    }
    return v.asText();
  }

  static String abbreviate(String s) {
    String one = s.strip().replaceAll("\\s+", " ");
    return one.length() <= 60 ? one : one.substring(0, 57) + "...";
  }
}
