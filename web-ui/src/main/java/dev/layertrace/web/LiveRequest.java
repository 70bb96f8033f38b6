package dev.layertrace.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.model.Protocol;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The live form's request body: {@code {"source": "netns:lt-ctr", "destination": "198.51.100.10",
 * "protocol": "icmp", "port": 80}}. Parsing refuses anything else with a message for a 400.
 *
 * @param source {@code netns:NAME}, {@code container:NAME}, {@code pid:N} or {@code ip:ADDR}, as
 *     {@code layertrace trace --from} takes
 * @param port destination port for udp and tcp; null for icmp
 */
public record LiveRequest(String source, String destination, Protocol protocol, Integer port) {
  private static final String IPV4_TEXT =
      "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final Pattern IPV4 = Pattern.compile(IPV4_TEXT);
  private static final Pattern SOURCE = Pattern.compile(
      "(netns|container):[A-Za-z0-9][A-Za-z0-9_.-]{0,63}|pid:[1-9][0-9]{0,6}|ip:" + IPV4_TEXT);
  private static final Set<String> FIELDS = Set.of("source", "destination", "protocol", "port");

  /** Parses and checks a request body. */
  static LiveRequest parse(ObjectMapper mapper, byte[] body) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("bad JSON: " + oneLine(e.getOriginalMessage()));
    } catch (java.io.IOException e) {
      throw ApiError.badRequest("bad JSON");
    }
    if (root == null || !root.isObject()) {
      throw ApiError.badRequest("bad JSON: expected an object {source, destination, protocol, port}");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String n = names.next();
      if (!FIELDS.contains(n)) {
        throw ApiError.badRequest("unknown field '" + oneLine(n) + "': use source, destination, protocol, port");
      }
    }
    String source = text(root, "source");
    if (!SOURCE.matcher(source).matches()) {
      throw ApiError.badRequest("source must be netns:NAME, container:NAME, pid:N or ip:ADDR");
    }
    String destination = text(root, "destination");
    if (!IPV4.matcher(destination).matches()) {
      throw ApiError.badRequest("destination must be an IPv4 address");
    }
    Protocol protocol;
    try {
      protocol = Protocol.of(root.has("protocol") ? text(root, "protocol") : "icmp");
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("protocol must be icmp, udp or tcp");
    }
    Integer port = null;
    JsonNode p = root.get("port");
    if (protocol != Protocol.ICMP) {
      if (p == null || !p.canConvertToInt() || !p.isIntegralNumber() || p.asInt() < 1 || p.asInt() > 65535) {
        throw ApiError.badRequest("port must be a number 1..65535 for " + protocol.word());
      }
      port = p.asInt();
    } else if (p != null && !p.isNull()) {
      throw ApiError.badRequest("port does not apply to icmp");
    }
    return new LiveRequest(source, destination, protocol, port);
  }

  private static String text(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || !n.isTextual()) {
      throw ApiError.badRequest(field + " is required and must be a string");
    }
    return n.asText();
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    String t = s.replaceAll("\\s+", " ");
    return t.length() > 160 ? t.substring(0, 160) + "…" : t;
  }
}
