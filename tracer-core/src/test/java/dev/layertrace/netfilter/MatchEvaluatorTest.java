package dev.layertrace.netfilter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.netfilter.MatchEvaluator.Tri;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One match against the lab probe in lt-guest (172.17.0.2 -> 198.51.100.10 ICMP, docker0 -> eth0, new). */
class MatchEvaluatorTest {
  private final MatchEvaluator matcher =
      new MatchEvaluator(NetfilterEvaluatorTest.GUEST_PROBE, NetfilterEvaluatorTest.GUEST_ADDRESSES);

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource(delimiter = '|', value = {
      "meta iifname | false | docker0              | YES",
      "meta iifname | true  | docker0              | NO",
      "meta oifname | true  | docker0              | YES",
      "meta oifname | false | eth*                 | YES",
      "meta oifname | false | eth\\*               | NO",
      "meta iifname | false | veth*,docker0        | YES",
      "ip saddr     | false | 172.17.0.0/16        | YES",
      "ip saddr     | false | 172.17.0.2/32        | YES",
      "ip saddr     | true  | 172.17.0.0/16        | NO",
      "ip saddr     | false | 172.16.0.0/30        | NO",
      "ip saddr     | false | 0.0.0.0/0            | YES",
      "ip daddr     | false | 198.51.100.1-198.51.100.20 | YES",
      "ip daddr     | true  | 127.0.0.0/8          | YES",
      "ip daddr     | false | ::1                  | UNKNOWN",
      "meta l4proto | false | icmp                 | YES",
      "ip protocol  | false | 1                    | YES",
      "meta l4proto | false | tcp                  | NO",
      "tcp dport    | false | 80                   | NO",
      "tcp dport    | true  | 80                   | NO",
      "th dport     | false | 1-65535              | NO",
      "ct state     | false | established,related  | NO",
      "ct state     | false | new                  | YES",
      "ct state     | true  | invalid              | YES",
      "fib daddr type | false | local              | NO",
      "fib saddr type | false | unicast            | YES",
      "meta mark    | false | 0x1                  | UNKNOWN",
      "ip dscp      | false | cs0                  | UNKNOWN",
  })
  void matchesTheProbe(String field, boolean negated, String values, Tri expected) {
    Expression.Match m = new Expression.Match(field.strip(), negated, List.of(values.strip().split(",")));

    assertThat(matcher.evaluate(m)).isEqualTo(expected);
  }
}
