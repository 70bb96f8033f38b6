package dev.layertrace.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layertrace.discover.Handoff;
import dev.layertrace.model.Finding;
import dev.layertrace.model.Observation;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Protocol;
import dev.layertrace.probe.ProbeSpec;
import dev.layertrace.verdict.ArpSighting;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/**
 * The agent protocol: one JSON object per line, its kind in {@code op}. A session is
 * <pre>
 * tracer → hello {token, version}          agent → welcome {kernel, scope, readOnly} | error {message}
 * tracer → half {ids, spec, destination…}  agent → ready {graph, findings, notes}    | error {message}
 * tracer → go                              agent → obs {observation}… arp {arp}…
 * tracer → stop                            agent → finish {drops, conntrack, forwardChains, …}
 * </pre>
 * Anything else, or anything before a good {@code hello}, ends the connection with an error line.
 */
public final class AgentMessages {
  public static final int VERSION = 1;
  /** Longest line either side accepts: a path graph with all its facts is a few KiB. */
  public static final int MAX_LINE = 4 << 20;

  // Configured once and never changed: safe to share between connections.
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private AgentMessages() {}

  /** A message that is not what the protocol allows at this point, or not JSON. */
  public static final class ProtocolError extends RuntimeException {
    public ProtocolError(String message) {
      super(message);
    }
  }

  public record Hello(String token, int version) {}

  public record Welcome(String kernel, List<String> scope, boolean readOnly, int version) {}

  /** The probe as both sides build and match it. */
  public record Spec(String protocol, String src, String dst, int dstPort, int size, boolean df, int ttl) {
    public static Spec of(ProbeSpec p) {
      return new Spec(p.protocol().word(), p.src() == null ? null : p.src().getHostAddress(), p.dst().getHostAddress(),
          p.dstPort(), p.size(), p.df(), p.ttl());
    }

    public ProbeSpec toProbeSpec() {
      try {
        return new ProbeSpec(Protocol.of(protocol), src == null ? null : (Inet4Address) InetAddress.getByName(src),
            (Inet4Address) InetAddress.getByName(dst), dstPort, size, df, ttl);
      } catch (java.io.IOException | ClassCastException | IllegalArgumentException e) {
        throw new ProtocolError("bad probe spec: " + e.getMessage());
      }
    }
  }

  /**
   * Observe a half of the path for these probes. The far half (the usual case: the agent on the host):
   * {@code handoff} says where the tracer's half ends and {@code tap} (NETNS/IFACE) may name the tap
   * the guest's frames arrive on (null: the agent finds it). The near half ({@code send}, the agent in
   * the guest): the agent resolves from the source {@code sourceLabel} ({@code netns:…}, {@code pid:…},
   * {@code container:…}) and sends the probes itself on go.
   */
  public record HalfRequest(List<String> ids, Spec spec, String sourceLabel, String sourceNetns, Handoff handoff,
      String tap, boolean send) {
    /** The far half: continue from {@code handoff}. */
    public static HalfRequest far(List<String> ids, Spec spec, String sourceLabel, String sourceNetns, Handoff handoff,
        String tap) {
      return new HalfRequest(ids, spec, sourceLabel, sourceNetns, handoff, tap, false);
    }

    /** The near half: from the source {@code from} to where the path leaves this kernel; the agent sends. */
    public static HalfRequest near(List<String> ids, Spec spec, String from) {
      return new HalfRequest(ids, spec, from, null, null, null, true);
    }
  }

  /** The half as the agent resolved it; {@code handoff} set when a near half leaves into a VMM. */
  public record Ready(PathGraph graph, List<Finding> findings, List<String> notes, Handoff handoff) {}

  public record Obs(Observation observation) {}

  public record Arp(ArpSighting arp) {}

  public record Error(String message) {}

  /** An empty body, for {@code go} and {@code stop}. */
  public record Empty() {}

  /** One decoded line: its op and the object. */
  public record Message(String op, JsonNode body) {
    public <T> T as(Class<T> type) {
      try {
        return MAPPER.treeToValue(body, type);
      } catch (JsonProcessingException e) {
        throw new ProtocolError("malformed " + op + " message: " + e.getOriginalMessage());
      } catch (IllegalArgumentException e) {
        throw new ProtocolError("malformed " + op + " message: " + e.getMessage());
      }
    }
  }

  /** {@code body} as one line of JSON with {@code op} set (no newline). */
  public static String encode(String op, Object body) {
    ObjectNode node = body == null ? MAPPER.createObjectNode() : MAPPER.valueToTree(body);
    node.put("op", op);
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + op, e);
    }
  }

  public static Message decode(String line) {
    JsonNode n;
    try {
      n = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new ProtocolError("not JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject() || !n.path("op").isTextual()) {
      throw new ProtocolError("a message is a JSON object with an \"op\"");
    }
    return new Message(n.get("op").asText(), n);
  }
}
