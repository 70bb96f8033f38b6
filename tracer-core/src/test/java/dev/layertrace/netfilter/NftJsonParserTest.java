package dev.layertrace.netfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.layertrace.ExitCode;
import dev.layertrace.netfilter.NetfilterFixtureRecorder.Scenario;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class NftJsonParserTest {

  @Test
  void iptablesNftTablesOfTheGuestAreRecognisedWithTheirBaseChains() {
    List<Table> tables = NftJsonParser.parse(NetfilterFixtureRecorder.load(Scenario.GUEST_HEALTHY).nftJson());

    assertThat(tables).extracting(Table::label).containsExactly("ip nat (iptables-nft)", "ip filter (iptables-nft)");
    Chain forward = tables.get(1).chain("FORWARD").orElseThrow();
    assertThat(forward.isBase()).isTrue();
    assertThat(forward.hook()).isEqualTo(Hook.FORWARD);
    assertThat(forward.type()).isEqualTo("filter");
    assertThat(forward.priority()).isZero();
    assertThat(forward.policy()).isEqualTo(PacketVerdict.DROP);
    assertThat(forward.rules()).extracting(Rule::handle).containsExactly(2L, 3L, 4L);
    assertThat(forward.rules()).extracting(Rule::text).containsExactly(
        "oifname \"docker0\" xt match conntrack accept",
        "iifname \"docker0\" oifname != \"docker0\" accept",
        "iifname \"docker0\" oifname \"docker0\" accept");
    Rule masquerade = tables.get(0).chain("POSTROUTING").orElseThrow().rules().get(0);
    // iptables-nft's xt MASQUERADE needs no options, so it is modelled even without iptables-nft-save.
    assertThat(masquerade.expressions()).contains(new Expression.Nat(Expression.NatKind.MASQUERADE, "", ""));
    assertThat(masquerade.text()).isEqualTo("oifname != \"docker0\" ip saddr 172.17.0.0/16 masquerade");
  }

  @Test
  void nativeHostTableIsNftablesAndRendersLikeNftList() {
    List<Table> tables = NftJsonParser.parse(NetfilterFixtureRecorder.load(Scenario.HOST_HEALTHY).nftJson());

    assertThat(tables).singleElement().satisfies(t -> {
      assertThat(t.backend()).isEqualTo(Backend.NFTABLES);
      Chain post = t.chain("postrouting").orElseThrow();
      assertThat(post.type()).isEqualTo("nat");
      assertThat(post.hook()).isEqualTo(Hook.POSTROUTING);
      assertThat(post.priority()).isEqualTo(100);
      // LabTopology.HOST_MASQUERADE_RULE: the same text nft list prints
      assertThat(post.rules()).extracting(Rule::text)
          .containsExactly("ip saddr 172.16.0.0/30 oifname \"uplink0\" masquerade");
    });
  }

  @Test
  void dockerUserChainsAreRegularChainsAndOpaqueExtensionsStayXt() {
    List<Table> tables = NftJsonParser.parse(NetfilterFixtureRecorder.load(Scenario.GUEST_DOCKER_LIKE).nftJson());

    Table filter = tables.stream().filter(t -> t.name().equals("filter")).findFirst().orElseThrow();
    Chain user = filter.chain("DOCKER-USER").orElseThrow();
    assertThat(user.isBase()).isFalse();
    assertThat(user.hook()).isNull();
    assertThat(user.rules()).extracting(Rule::text).containsExactly("return");
    assertThat(filter.chain("FORWARD").orElseThrow().rules().get(0).text()).isEqualTo("jump DOCKER-USER");
    Table nat = tables.stream().filter(t -> t.name().equals("nat")).findFirst().orElseThrow();
    assertThat(nat.chain("DOCKER").orElseThrow().rules().get(1).expressions())
        .contains(new Expression.Xt("target", "DNAT"));
    assertThat(nat.chain("PREROUTING").orElseThrow().rules().get(0).text())
        .isEqualTo("xt match addrtype jump DOCKER");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''| top level",
      "[]| top level",
      "{\"nftables\": 3}| top level",
      "{\"nftables\": [{\"table\"| line 1 column",
      "{\"nftables\": [7]}| nftables[0]",
      "{\"nftables\": [{\"table\": {\"family\": \"ipx\", \"name\": \"t\"}}]}| nftables[0].table",
      "{\"nftables\": [{\"rule\": {\"family\": \"ip\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 1, \"expr\": []}}]}"
          + "| nftables[0].rule",
      "{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"t\"}}, {\"chain\": {\"family\": \"ip\", \"table\": \"t\","
          + " \"name\": \"c\", \"hook\": \"forward\", \"prio\": \"high\"}}]}| nftables[1].chain",
      "{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"t\"}}, {\"chain\": {\"family\": \"ip\", \"table\": \"t\","
          + " \"name\": \"c\"}}, {\"rule\": {\"family\": \"ip\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 1,"
          + " \"expr\": [{\"match\": {\"op\": \"==\"}}]}}]}| nftables[2].rule.expr[0]",
  })
  void malformedInputIsACleanParseErrorWithAPosition(String json, String position) {
    assertThatThrownBy(() -> NftJsonParser.parse(json))
        .isInstanceOfSatisfying(NetfilterParseException.class, e -> {
          assertThat(e.position()).startsWith(position);
          assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
          assertThat(e.getMessage()).startsWith("cannot parse nft -j list ruleset at " + position).doesNotContain("\n");
        });
  }

  /** Items are read one at a time; still, as with one tree of it all, a syntax error further on wins. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"nftables\": [7, {\"table\"| line 1 column",
      "{\"nftables\": [7]| line 1 column",
      "{\"nftables\": [7], \"x\": [}| line 1 column",
      "{\"nftables\": [7], \"x\": 1}| nftables[0]",
      "{\"x\": [7], \"nftables\": [{\"metainfo\": {}}, 7]}| nftables[1]",
      "{\"nftables\": [], \"nftables\": 7}| top level"})
  void aWrongItemIsReportedOnlyWhenTheRestIsWellFormed(String json, String position) {
    assertThatThrownBy(() -> NftJsonParser.parse(json))
        .isInstanceOfSatisfying(NetfilterParseException.class, e -> assertThat(e.position()).startsWith(position));
  }

  @Test
  void theWarmUpRulesetParses() {
    // A warm-up that threw would fail every live read; it parses a ruleset of the usual shapes.
    NftJsonParser.warmUp();
  }

  @Test
  void onlyTheNftablesArrayIsRead() {
    String json = "{\"x\": {\"nftables\": [7]}, \"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"t\"}}],"
        + " \"y\": [1, [2, {}]]} trailing";

    assertThat(NftJsonParser.parse(json)).extracting(Table::label).containsExactly("ip t (nftables)");
    // As in one tree of it all, the last "nftables" is the one read.
    assertThat(NftJsonParser.parse("{\"nftables\": [7], \"nftables\": []}")).isEmpty();
  }

  @Test
  void namedSetsAndUnknownStatementsAreKeptAsUnsupported() {
    String json = "{\"nftables\": [{\"table\": {\"family\": \"inet\", \"name\": \"t\"}},"
        + " {\"chain\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"c\", \"type\": \"filter\", \"hook\": \"forward\","
        + " \"prio\": 0, \"policy\": \"accept\"}},"
        + " {\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 5, \"expr\": ["
        + "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"ip\", \"field\": \"saddr\"}}, \"right\": \"@blocked\"}},"
        + "{\"limit\": {\"rate\": 5, \"per\": \"second\"}}, {\"drop\": null}], \"comment\": \"block\"}}]}";

    Rule r = NftJsonParser.parse(json).get(0).chains().get(0).rules().get(0);

    assertThat(r.expressions().get(0)).isInstanceOf(Expression.Unsupported.class);
    assertThat(r.expressions().get(1)).isInstanceOf(Expression.Unsupported.class);
    assertThat(r.comment()).isEqualTo("block");
    assertThat(r.text()).endsWith("drop comment \"block\"");
  }

  /** Truncated and mutated recordings: either a model or a NetfilterParseException, never anything else. */
  @ParameterizedTest
  @EnumSource(Scenario.class)
  void truncatedAndMutatedOutputNeverThrowsAnythingButAParseError(Scenario s) {
    String json = NetfilterFixtureRecorder.load(s).nftJson();
    Random random = new Random(4242 + s.ordinal());
    for (int cut = 0; cut < json.length(); cut += 7) {
      parseOrCleanError(json.substring(0, cut));
    }
    String alphabet = "{}[]\":,0 -1aZ\\\u0000nulltrue";
    for (int i = 0; i < 400; i++) {
      StringBuilder b = new StringBuilder(json);
      for (int m = random.nextInt(4); m >= 0; m--) {
        int at = random.nextInt(b.length());
        switch (random.nextInt(3)) {
          case 0 -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
          case 1 -> b.delete(at, Math.min(b.length(), at + 1 + random.nextInt(20)));
          default -> b.insert(at, b, random.nextInt(b.length()), b.length());
        }
        if (b.length() == 0) {
          break;
        }
      }
      parseOrCleanError(b.toString());
    }
  }

  /** Valid JSON with a wrong shape: random values replaced by values of another type, random keys removed. */
  @ParameterizedTest
  @EnumSource(Scenario.class)
  void structurallyMutatedJsonNeverThrowsAnythingButAParseError(Scenario s) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    Random random = new Random(99 + s.ordinal());
    JsonNode[] replacements = {NullNode.getInstance(), IntNode.valueOf(-1), TextNode.valueOf("forward"),
        mapper.createArrayNode(), mapper.createObjectNode(), LongNode.valueOf(Long.MAX_VALUE),
        mapper.readTree("{\"prefix\": {\"addr\": \"x\", \"len\": 99}}"), mapper.readTree("{\"range\": [1]}")};
    JsonNode original = mapper.readTree(NetfilterFixtureRecorder.load(s).nftJson());
    for (int i = 0; i < 300; i++) {
      JsonNode root = original.deepCopy();
      for (int m = random.nextInt(3); m >= 0; m--) {
        List<JsonNode> containers = new java.util.ArrayList<>();
        root.forEach(n -> collect(n, containers));
        collect(root, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode o && o.size() > 0) {
          List<String> names = new java.util.ArrayList<>();
          o.fieldNames().forEachRemaining(names::add);
          String name = names.get(random.nextInt(names.size()));
          if (random.nextBoolean()) {
            o.remove(name);
          } else {
            o.set(name, replacements[random.nextInt(replacements.length)].deepCopy());
          }
        } else if (target instanceof ArrayNode a && a.size() > 0) {
          a.set(random.nextInt(a.size()), replacements[random.nextInt(replacements.length)].deepCopy());
        }
      }
      parseOrCleanError(mapper.writeValueAsString(root));
    }
  }

  private static void collect(JsonNode n, List<JsonNode> out) {
    if (n.isContainerNode()) {
      out.add(n);
      n.forEach(c -> collect(c, out));
    }
  }

  private static void parseOrCleanError(String json) {
    try {
      List<Table> tables = NftJsonParser.parse(json);
      NetfilterModel model = new NetfilterModel(tables, List.of());
      NetfilterEvaluator.evaluate(model, NetfilterEvaluatorTest.GUEST_PROBE, Map.of());
    } catch (NetfilterParseException e) {
      assertThat(e.position()).isNotBlank();
    }
  }
}
