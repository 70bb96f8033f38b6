package dev.layertrace.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kernel-config parsing and the kernel checks on the recorded configs (acceptance e). */
class KernelConfigFixturesTest {

  @Test
  void parsesSetModuleAndNotSetSymbols() {
    KernelConfig c = KernelConfig.parse("""
        # comment
        CONFIG_NF_NAT=y
        CONFIG_BR_NETFILTER_X=m
        # CONFIG_BRIDGE_NETFILTER is not set
        CONFIG_LOCALVERSION="-fc"
        """, "test");
    assertThat(c.state("NF_NAT")).isEqualTo(KernelConfig.State.BUILTIN);
    assertThat(c.state("BR_NETFILTER_X")).isEqualTo(KernelConfig.State.MODULE);
    assertThat(c.state("BRIDGE_NETFILTER")).isEqualTo(KernelConfig.State.NOT_SET);
    assertThat(c.mentions("BRIDGE_NETFILTER")).isTrue();
    assertThat(c.mentions("VETH")).isFalse();
    assertThat(c.values().get("LOCALVERSION")).isEqualTo("\"-fc\"");
    assertThat(c.evidence("BRIDGE_NETFILTER")).isEqualTo("CONFIG_BRIDGE_NETFILTER is not set in test");
  }

  @Test
  void recordedConfigHasWhatThisMachineRuns() {
    KernelConfig c = DoctorFixtures.facts("host.json").parsedKernelConfig().orElseThrow();
    assertThat(c.values()).hasSizeGreaterThan(1000);
    assertThat(c.enabled("NF_NAT")).isTrue();
    assertThat(c.enabled("BRIDGE_NETFILTER")).isTrue();
  }

  @Test
  void withoutNfNatTheNatCheckNamesTheExactIptablesError() {
    SystemFacts facts = DoctorFixtures.facts("host.json", DoctorFixtures.CONFIG_NO_NF_NAT);
    CheckResult r = DoctorReport.evaluate(facts).get("kernel.nf_nat");
    assertThat(r.status()).isEqualTo(CheckStatus.MISSING);
    assertThat(r.evidence()).contains("CONFIG_NF_NAT is not set in /proc/config.gz",
        "CONFIG_NFT_NAT is not set in /proc/config.gz", "iptables backend: nf_tables");
    // The iptables version comes from the recorded 'iptables --version' run (v1.8.9, nf_tables).
    assertThat(r.why()).contains("iptables v1.8.9 (nf_tables): can't initialize iptables table `nat': Table does not"
        + " exist (do you need to insmod?)");
    assertThat(r.why()).contains("-t nat");
    assertThat(r.fix()).contains("CONFIG_NF_NAT=y").contains("CONFIG_NFT_NAT=y");
    assertThat(DoctorReport.evaluate(facts).get("kernel.masquerade").status()).isEqualTo(CheckStatus.MISSING);
  }

  @Test
  void withoutBridgeNetfilterTheCheckNamesTheMissingSysctlAndWhatBreaks() {
    SystemFacts facts = DoctorFixtures.facts("host.json", DoctorFixtures.CONFIG_NO_BRIDGE_NETFILTER);
    CheckResult r = DoctorReport.evaluate(facts).get("kernel.bridge_netfilter");
    assertThat(r.status()).isEqualTo(CheckStatus.MISSING);
    assertThat(r.evidence()).contains("CONFIG_BRIDGE_NETFILTER is not set in /proc/config.gz");
    assertThat(r.why()).contains("/proc/sys/net/bridge/bridge-nf-call-iptables does not exist")
        .contains("container-to-container filtering")
        .contains("WARNING: bridge-nf-call-iptables is disabled");
    assertThat(r.fix()).contains("CONFIG_BRIDGE_NETFILTER=y");
  }

  @Test
  void aKernelWithoutBridgeNetfilterHasNoBridgeSysctlAndThatIsMissingToo() {
    // What such a kernel shows: no /proc/sys/net/bridge at all.
    SystemFacts facts = DoctorFixtures.facts("host.json", DoctorFixtures.CONFIG_NO_BRIDGE_NETFILTER)
        .withFiles(java.util.Map.of(FactPaths.BRIDGE_NF_CALL_IPTABLES, FileFact.absent(FactPaths.BRIDGE_NF_CALL_IPTABLES),
            FactPaths.BRIDGE_SYSCTL_DIR, FileFact.absent(FactPaths.BRIDGE_SYSCTL_DIR)));
    CheckResult r = DoctorReport.evaluate(facts).get("sysctl.bridge_nf_call_iptables");
    assertThat(r.status()).isEqualTo(CheckStatus.MISSING);
    assertThat(r.evidence()).containsExactly("/proc/sys/net/bridge/bridge-nf-call-iptables absent");
  }

  @Test
  void intactConfigReportsEveryKernelFeatureOk() {
    DoctorReport report = DoctorReport.evaluate(DoctorFixtures.facts("host.json"));
    assertThat(report.checks()).filteredOn(c -> c.layer() == CheckLayer.KERNEL)
        .hasSizeGreaterThan(15)
        .allSatisfy(c -> assertThat(c.status()).as(c.id()).isEqualTo(CheckStatus.OK));
  }

  @ParameterizedTest
  @CsvSource({
      "kernel.nf_nat, OK, " + DoctorFixtures.CONFIG,
      "kernel.nf_nat, MISSING, " + DoctorFixtures.CONFIG_NO_NF_NAT,
      "kernel.bridge_netfilter, OK, " + DoctorFixtures.CONFIG_NO_NF_NAT,
      "kernel.bridge_netfilter, MISSING, " + DoctorFixtures.CONFIG_NO_BRIDGE_NETFILTER,
      "kernel.nf_nat, OK, " + DoctorFixtures.CONFIG_NO_BRIDGE_NETFILTER,
      "kernel.veth, OK, " + DoctorFixtures.CONFIG_NO_NF_NAT})
  void eachVariantChangesOnlyItsFeature(String id, CheckStatus expected, String config) {
    assertThat(DoctorReport.evaluate(DoctorFixtures.facts("host.json", config)).get(id).status()).isEqualTo(expected);
  }

  @Test
  void withoutAConfigFeaturesAreInferredAndNeverMissing() {
    SystemFacts facts = DoctorFixtures.facts("host.json").withKernelConfig(FileFact.absent("/proc/config.gz"));
    DoctorReport report = DoctorReport.evaluate(facts);
    assertThat(report.checks()).filteredOn(c -> c.layer() == CheckLayer.KERNEL)
        .noneMatch(c -> c.status() == CheckStatus.MISSING);
    // Signs recorded on this machine: /proc/filesystems lists overlay, /proc/cgroups lists devices.
    assertThat(report.get("kernel.overlayfs").status()).isEqualTo(CheckStatus.OK);
    assertThat(report.get("kernel.overlayfs").evidence()).containsExactly("/proc/filesystems lists overlay");
    assertThat(report.get("kernel.cgroup_devices").status()).isEqualTo(CheckStatus.OK);
    assertThat(report.get("kernel.bridge_netfilter").status()).isEqualTo(CheckStatus.OK);
    assertThat(report.get("kernel.xt_addrtype").status()).isEqualTo(CheckStatus.UNKNOWN);
  }
}
