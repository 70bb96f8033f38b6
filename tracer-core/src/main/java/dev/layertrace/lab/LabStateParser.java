package dev.layertrace.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns what the tools print ({@code ip -j -d address show}, {@code ip -j route show},
 * {@code sysctl}, {@code iptables-save}, {@code nft -s list ruleset}) into a {@link NamespaceState}.
 * Tested against output recorded from a real lab.
 */
public final class LabStateParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern IPTABLES_COUNTERS = Pattern.compile("\\[\\d+:\\d+]");
  private static final Pattern NFT_COUNTERS = Pattern.compile("counter packets \\d+ bytes \\d+");

  private LabStateParser() {}

  /** The state of {@code netns} from the raw outputs of the five tools. */
  public static NamespaceState parse(String netns, String ipAddressJson, String ipRouteJson, String sysctl,
      String iptablesSave, String nftRuleset) {
    List<LinkState> links = new ArrayList<>();
    List<AddressState> addresses = new ArrayList<>();
    for (JsonNode l : read(ipAddressJson)) {
      String name = l.path("ifname").asText();
      List<String> flags = new ArrayList<>();
      l.path("flags").forEach(f -> flags.add(f.asText()));
      links.add(new LinkState(name, l.path("linkinfo").path("info_kind").asText(""), flags.contains("UP"),
          flags.contains("LOWER_UP"), l.path("mtu").asInt(), text(l, "master"), l.path("address").asText(""),
          l.path("operstate").asText("")));
      for (JsonNode a : l.path("addr_info")) {
        if ("inet".equals(a.path("family").asText())) {
          addresses.add(new AddressState(name, a.path("local").asText() + "/" + a.path("prefixlen").asInt()));
        }
      }
    }
    List<RouteState> routes = new ArrayList<>();
    for (JsonNode r : read(ipRouteJson)) {
      boolean onlink = false;
      for (JsonNode f : r.path("flags")) {
        onlink |= f.asText().equals("onlink");
      }
      routes.add(new RouteState(r.path("dst").asText(), text(r, "gateway"), text(r, "dev"), onlink,
          text(r, "protocol"), text(r, "scope")));
    }
    return new NamespaceState(netns, links, addresses, routes, sysctls(sysctl), normalizeIptables(iptablesSave),
        normalizeNft(nftRuleset));
  }

  /** {@code key = value} lines, as {@code sysctl} prints them. */
  public static Map<String, String> sysctls(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    text.lines().forEach(line -> {
      int eq = line.indexOf(" = ");
      if (eq > 0) {
        m.put(line.substring(0, eq).strip(), line.substring(eq + 3).strip());
      }
    });
    return m;
  }

  /** {@code iptables-save} without its comment lines and with counters zeroed. */
  public static String normalizeIptables(String text) {
    StringBuilder b = new StringBuilder();
    text.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
        .forEach(l -> b.append(IPTABLES_COUNTERS.matcher(l).replaceAll("[0:0]")).append('\n'));
    return b.toString();
  }

  /** {@code nft list ruleset} without comments, blank lines and counter values. */
  public static String normalizeNft(String text) {
    StringBuilder b = new StringBuilder();
    text.lines().filter(l -> !l.strip().startsWith("#") && !l.isBlank())
        .forEach(l -> b.append(NFT_COUNTERS.matcher(l).replaceAll("counter")).append('\n'));
    return b.toString();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static JsonNode read(String json) {
    if (json == null || json.isBlank()) {
      return JSON.createArrayNode();
    }
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("malformed ip -j output", e);
    }
  }
}
