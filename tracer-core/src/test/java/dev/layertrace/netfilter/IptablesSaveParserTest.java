package dev.layertrace.netfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.netfilter.Expression.Match;
import dev.layertrace.netfilter.NetfilterFixtureRecorder.Scenario;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IptablesSaveParserTest {

  @Test
  void legacyGuestRulesParseIntoPoliciesHooksAndTypedMatches() {
    List<Table> tables = IptablesSaveParser.parse(
        NetfilterFixtureRecorder.load(Scenario.GUEST_LEGACY).iptablesLegacySave(), Backend.IPTABLES_LEGACY);

    assertThat(tables).extracting(Table::label).containsExactly("ip filter (iptables-legacy)", "ip nat (iptables-legacy)");
    Chain forward = tables.get(0).chain("FORWARD").orElseThrow();
    assertThat(forward.policy()).isEqualTo(PacketVerdict.DROP);
    assertThat(forward.hook()).isEqualTo(Hook.FORWARD);
    assertThat(forward.priority()).isZero();
    assertThat(forward.rules().get(0).expressions()).containsExactly(
        new Match("meta oifname", false, List.of("docker0")),
        new Match("ct state", false, List.of("related", "established")),
        new Expression.Verdict(Expression.VerdictKind.ACCEPT, ""));
    assertThat(forward.rules().get(0).text()).isEqualTo("oifname \"docker0\" ct state related,established accept");
    Chain post = tables.get(1).chain("POSTROUTING").orElseThrow();
    assertThat(post.type()).isEqualTo("nat");
    assertThat(post.priority()).isEqualTo(100);
    assertThat(tables.get(1).chain("PREROUTING").orElseThrow().priority()).isEqualTo(-100);
    assertThat(post.rules()).extracting(Rule::text)
        .containsExactly("ip saddr 172.17.0.0/16 oifname != \"docker0\" masquerade");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "-A FORWARD -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -m comment --comment \"hi there\" -j ACCEPT"
          + "| ip daddr 172.17.0.2/32 meta l4proto tcp tcp dport 80 accept comment \"hi there\"",
      "-A FORWARD -p udp -m multiport --dports 53,5000:5010 -j DROP| meta l4proto udp udp dport { 53, 5000-5010 } drop",
      "-A FORWARD -m mark --mark 0x1 -j ACCEPT| -m mark --mark 0x1 accept",
      "-A FORWARD -i veth+ -j LOG --log-prefix \"dropped here\"| iifname \"veth*\" -j LOG --log-prefix dropped here",
      "-A FORWARD -m addrtype --dst-type LOCAL -j DOCKER| fib daddr type local jump DOCKER",
      "-A FORWARD ! -s 10.0.0.0/8 -g DOCKER| ip saddr != 10.0.0.0/8 goto DOCKER",
      "-A FORWARD -j TEE --gateway 10.0.0.9| -j TEE --gateway 10.0.0.9",
      "-A FORWARD -o eth0 -j SNAT --to-source 10.0.0.1:1000-2000| oifname \"eth0\" snat to 10.0.0.1:1000-2000",
      "-A FORWARD -p icmp -m icmp --icmp-type 3/4 -j DROP| meta l4proto icmp -m icmp --icmp-type 3/4 drop",
  })
  void optionsBecomeNftStyleExpressionsAndUnknownOnesStayRaw(String line, String text) {
    String save = "*filter\n:FORWARD ACCEPT [0:0]\n:DOCKER - [0:0]\n" + line + "\nCOMMIT\n";

    Rule r = IptablesSaveParser.parse(save, Backend.IPTABLES_LEGACY).get(0).chain("FORWARD").orElseThrow().rules().get(0);

    assertThat(r.text()).isEqualTo(text);
    assertThat(r.iptablesText()).isEqualTo(line);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "-A FORWARD -j ACCEPT| line 1",
      "*filter\\n:FORWARD DROP [0:0]\\n| end of input",
      "*filter\\n-A NOPE -j ACCEPT\\nCOMMIT| line 2",
      "*filter\\n:FORWARD MAYBE [0:0]\\nCOMMIT| line 2",
      "*filter\\n:DOCKER DROP [0:0]\\nCOMMIT| line 2",
      "*filter\\n:FORWARD DROP [0:0]\\n-A FORWARD -s\\nCOMMIT| line 3",
      "*filter\\n:FORWARD DROP [0:0]\\n-A FORWARD -m comment --comment \"open\\nCOMMIT| line 3",
      "*filter\\n*nat\\nCOMMIT| line 2",
      "*filter\\nhello\\nCOMMIT| line 2",
  })
  void malformedInputIsACleanParseErrorWithTheLine(String escaped, String position) {
    String text = escaped.replace("\\n", "\n");
    assertThatThrownBy(() -> IptablesSaveParser.parse(text, Backend.IPTABLES_LEGACY))
        .isInstanceOfSatisfying(NetfilterParseException.class, e -> {
          assertThat(e.position()).isEqualTo(position);
          assertThat(e.getMessage()).startsWith("cannot parse iptables-legacy-save at " + position);
        });
  }

  @Test
  void truncatedAndMutatedOutputNeverThrowsAnythingButAParseError() {
    Random random = new Random(7);
    for (Scenario s : List.of(Scenario.GUEST_LEGACY, Scenario.GUEST_DOCKER_LIKE)) {
      NetfilterDump d = NetfilterFixtureRecorder.load(s);
      String text = d.iptablesLegacySave().isEmpty() ? d.iptablesNftSave() : d.iptablesLegacySave();
      for (int cut = 0; cut <= text.length(); cut += 3) {
        parseOrCleanError(text.substring(0, cut));
      }
      String alphabet = " -!\"\\\n*:A0j";
      for (int i = 0; i < 400; i++) {
        StringBuilder b = new StringBuilder(text);
        for (int m = random.nextInt(4); m >= 0 && b.length() > 0; m--) {
          int at = random.nextInt(b.length());
          switch (random.nextInt(3)) {
            case 0 -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            case 1 -> b.delete(at, Math.min(b.length(), at + 1 + random.nextInt(30)));
            default -> {
              int from = random.nextInt(b.length());
              b.insert(at, b.substring(from, Math.min(b.length(), from + 40)));
            }
          }
        }
        parseOrCleanError(b.toString());
      }
    }
  }

  private static void parseOrCleanError(String text) {
    try {
      List<Table> tables = IptablesSaveParser.parse(text, Backend.IPTABLES_LEGACY);
      NetfilterEvaluator.evaluate(new NetfilterModel(tables, List.of()), NetfilterEvaluatorTest.GUEST_PROBE, Map.of());
    } catch (NetfilterParseException e) {
      assertThat(e.position()).isNotBlank();
    }
  }
}
