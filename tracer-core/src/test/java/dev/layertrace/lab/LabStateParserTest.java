package dev.layertrace.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Parses tool output recorded from a real lab (see {@link LabFixtureRecorder}). */
class LabStateParserTest {

  @Test
  void readsLinksAddressesRoutesAndSysctlsOfTheGuest() {
    NamespaceState guest = LabFixtures.namespace("healthy", "lt-guest");
    assertThat(guest.link("docker0")).hasValueSatisfying(l -> {
      assertThat(l.kind()).isEqualTo("bridge");
      assertThat(l.up()).isTrue();
      assertThat(l.mac()).isEqualTo("02:42:ac:11:00:01");
    });
    assertThat(guest.link("veth-ctr")).hasValueSatisfying(l -> {
      assertThat(l.kind()).isEqualTo("veth");
      assertThat(l.master()).isEqualTo("docker0");
    });
    assertThat(guest.link("eth0")).hasValueSatisfying(l -> {
      assertThat(l.kind()).isEqualTo("tun");
      assertThat(l.carrier()).as("the relay holds the tap").isTrue();
      assertThat(l.mtu()).isEqualTo(1500);
    });
    assertThat(guest.addresses()).contains(new AddressState("docker0", "172.17.0.1/16"),
        new AddressState("eth0", "172.16.0.2/30"));
    assertThat(guest.defaultRoute()).hasValueSatisfying(r -> {
      assertThat(r.gateway()).isEqualTo("172.16.0.1");
      assertThat(r.dev()).isEqualTo("eth0");
      assertThat(r.onlink()).isFalse();
    });
    assertThat(guest.sysctls()).containsEntry("net.ipv4.ip_forward", "1")
        .containsEntry("net.ipv4.conf.all.rp_filter", "0").containsEntry("net.ipv6.conf.all.disable_ipv6", "1");
  }

  @Test
  void normalizesRulesSoThatCountersAndTimestampsDoNotMatter() {
    NamespaceState guest = LabFixtures.namespace("healthy", "lt-guest");
    assertThat(guest.iptables()).contains("-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE")
        .contains(":FORWARD DROP [0:0]").doesNotContain("# Generated").doesNotContainPattern("\\[[1-9]\\d*:");
    assertThat(guest.nftables()).contains("table ip nat").doesNotContain("Warning").doesNotContain("packets");
    assertThat(LabStateParser.normalizeIptables(":FORWARD DROP [12:3456]\n# Completed on Thu\n"))
        .isEqualTo(":FORWARD DROP [0:0]\n");
    assertThat(LabStateParser.normalizeNft("  ip saddr 1.2.3.4 counter packets 7 bytes 420 accept\n"))
        .isEqualTo("  ip saddr 1.2.3.4 counter accept\n");
  }

  @Test
  void theDigestIsStableAndSeesEveryFault() {
    LabSnapshot healthy = LabFixtures.snapshot("healthy");
    assertThat(LabFixtures.snapshot("healthy").digest()).isEqualTo(healthy.digest());
    for (String fault : new String[] {"nft-split-brain", "guest-forward-drop", "guest-wrong-gateway", "mtu-blackhole"}) {
      assertThat(LabFixtures.snapshot(fault).digest()).as(fault).isNotEqualTo(healthy.digest());
    }
  }

  @Test
  void theDigestIgnoresCarrierAndOperstate() {
    // A killed relay takes the carrier off both taps; links, addresses, routes and rules are unchanged.
    assertThat(LabFixtures.snapshot("relay-killed").digest()).isEqualTo(LabFixtures.snapshot("healthy").digest());
    assertThat(LabFixtures.namespace("relay-killed", "lt-host").link("tap0"))
        .hasValueSatisfying(l -> assertThat(l.carrier()).isFalse());
  }

  @Test
  void canonicalTextNamesWhatDiffers() {
    String healthy = LabFixtures.snapshot("healthy").canonical();
    String mtu = LabFixtures.snapshot("mtu-blackhole").canonical();
    assertThat(healthy).contains("link tap0 kind=tun up mtu=1500");
    assertThat(mtu).contains("link tap0 kind=tun up mtu=1400")
        .contains("iptables -A OUTPUT -p icmp -m icmp --icmp-type 3/4 -j DROP");
  }

  @Test
  void emptyOutputGivesAnEmptyNamespace() {
    NamespaceState n = LabStateParser.parse("lt-x", "", "", "", "", "");
    assertThat(n.links()).isEmpty();
    assertThat(n.routes()).isEmpty();
    assertThat(n.sysctls()).isEmpty();
  }
}
