package dev.layertrace.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Normalising and comparing state readings, on tool output recorded from the lab (lab fixtures). */
class StateDigestTest {
  private static String fixture(String name) throws IOException {
    try (InputStream in = StateDigestTest.class.getResourceAsStream("/dev/layertrace/lab/fixtures/healthy/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void iptablesSaveLosesItsTimestampAndCountersButNoRule() throws IOException {
    String save = fixture("lt-guest.iptables-save.txt");
    String later = save.replace("14:18:32", "15:01:07").replace(":OUTPUT ACCEPT [1:40]", ":OUTPUT ACCEPT [9:1234]");
    assertThat(StateNormalizer.iptablesSave(later)).isEqualTo(StateNormalizer.iptablesSave(save))
        .doesNotContain("# Generated").contains(":OUTPUT ACCEPT [0:0]").contains("MASQUERADE");
    assertThat(StateNormalizer.iptablesSave(save.replace("MASQUERADE", "ACCEPT")))
        .isNotEqualTo(StateNormalizer.iptablesSave(save));
  }

  @Test
  void addressLifetimesThatCountDownAreDropped() throws IOException {
    String json = fixture("lt-inet.ip-address.json");
    String later = json.replace("\"preferred_life_time\":4294967295", "\"preferred_life_time\":3599");
    assertThat(StateNormalizer.ipJson(later)).isEqualTo(StateNormalizer.ipJson(json))
        .doesNotContain("life_time").contains("203.0.113.1");
    assertThat(StateNormalizer.ipJson(json.replace("203.0.113.1", "203.0.113.9")))
        .isNotEqualTo(StateNormalizer.ipJson(json));
  }

  @Test
  void bridgeTimersAreDroppedButBridgeSettingsKept() {
    // Recorded from lt-guest's docker0 twice, one second apart: only the timers moved.
    String a = "[{\"ifname\":\"docker0\",\"linkinfo\":{\"info_data\":{\"stp_state\":0,\"hello_timer\":0.00,"
        + "\"gc_timer\":10.90,\"mcast_snooping\":1}}}]";
    String b = a.replace("10.90", "9.80");
    assertThat(StateNormalizer.ipJson(a)).isEqualTo(StateNormalizer.ipJson(b)).contains("\"stp_state\":0")
        .doesNotContain("timer");
    assertThat(StateNormalizer.ipJson(a.replace("\"stp_state\":0", "\"stp_state\":1")))
        .isNotEqualTo(StateNormalizer.ipJson(a));
  }

  @Test
  void nftCountersAndExpiryAreZeroed() {
    String a = "table ip t {\n\tchain c {\n\t\tip daddr 1.2.3.4 counter packets 3 bytes 252 accept\n\t}\n"
        + "\tset s {\n\t\telements = { 10.0.0.1 expires 4s }\n\t}\n}\n";
    String b = a.replace("packets 3 bytes 252", "packets 9 bytes 900").replace("expires 4s", "expires 1s");
    assertThat(StateNormalizer.nftRuleset(a)).isEqualTo(StateNormalizer.nftRuleset(b));
    assertThat(StateNormalizer.nftRuleset(a.replace("accept", "drop"))).isNotEqualTo(StateNormalizer.nftRuleset(a));
  }

  @Test
  void differencesNameTheNamespaceSectionAndLine() {
    StateDigest before = new StateDigest(Map.of(StateDigest.ROOT, Map.of("links", "lo\neth0 up\n"),
        "lt-x", Map.of("nft", "table ip t\n"), "lt-gone", Map.of()));
    StateDigest after = new StateDigest(Map.of(StateDigest.ROOT, Map.of("links", "lo\neth0 down\n"),
        "lt-x", Map.of("nft", "table ip t\n"), "lt-new", Map.of()));
    assertThat(before.differences(after)).containsExactly(
        "(root) links: line 2: 'eth0 up' → 'eth0 down'", "- lt-gone", "+ lt-new");
    assertThat(before.differences(before)).isEmpty();
    assertThat(before.sha256()).isEqualTo(new StateDigest(before.namespaces()).sha256()).isNotEqualTo(after.sha256());
    assertThat(before.without(Set.of("lt-gone", StateDigest.ROOT)).namespaces()).containsOnlyKeys("lt-x");
  }
}
