package dev.layertrace.lab.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KernelModulesTest {
  private static final KernelModules DEBIAN = KernelModules.parse(Fixtures.text("modules.dep.txt"));

  /** kmod's {@code modprobe --show-depends} per module, recorded on the same kernel: the oracle. */
  static Map<String, List<String>> kmodOrder() {
    Map<String, List<String>> byModule = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : Fixtures.text("show-depends.txt").split("\n")) {
      if (line.startsWith("# ")) {
        current = new ArrayList<>();
        byModule.put(line.substring(2), current);
      } else if (line.startsWith("insmod ")) {
        current.add(line.split("\\s+")[1].replace("/lib/modules/" + Fixtures.RELEASE + "/", ""));
      }
    }
    return byModule;
  }

  static List<String> modules() {
    return List.copyOf(kmodOrder().keySet());
  }

  @ParameterizedTest
  @MethodSource("modules")
  void loadsTheSameFilesAsKmodAndEachAfterItsDependencies(String module) {
    List<String> ours = DEBIAN.loadOrder(List.of(module));
    // kmod also follows soft dependencies (libcrc32c's "pre: crc32c"), which modules.dep does not name:
    // GuestImageRecipe lists crc32c_generic itself.
    List<String> kmod = kmodOrder().get(module).stream()
        .filter(f -> module.startsWith("crc32c") || !f.contains("/crypto/crc32c")).toList();
    assertThat(ours).containsExactlyInAnyOrderElementsOf(kmod);
    assertThat(KernelModules.name(ours.get(ours.size() - 1))).isEqualTo(module);
    String dep = Fixtures.text("modules.dep.txt");
    for (int i = 0; i < ours.size(); i++) {
      String file = ours.get(i);
      String line = dep.lines().filter(l -> l.startsWith(file + ":")).findFirst().orElseThrow();
      for (String needed : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
        if (!needed.isEmpty()) {
          assertThat(ours.indexOf(needed)).as(needed + " before " + file).isBetween(0, i - 1);
        }
      }
    }
  }

  @Test
  void aSharedDependencyIsLoadedOnce() {
    List<String> order = DEBIAN.loadOrder(List.of("nf_tables", "nft_masq", "xt_MASQUERADE", "iptable_nat"));
    assertThat(order).doesNotHaveDuplicates().contains("kernel/lib/libcrc32c.ko");
    assertThat(order.indexOf("kernel/net/netfilter/nf_conntrack.ko"))
        .isLessThan(order.indexOf("kernel/net/netfilter/nf_nat.ko"));
  }

  @Test
  void namesWithDashesAndUnknownModulesAreHandled() {
    assertThat(KernelModules.name("kernel/arch/x86/crypto/crc32c-intel.ko.xz")).isEqualTo("crc32c_intel");
    assertThat(DEBIAN.has("9pnet_virtio")).isTrue();
    // Built into Debian's kernel (or absent): nothing to load, not an error.
    assertThat(DEBIAN.has("af_packet")).isFalse();
    assertThat(DEBIAN.loadOrder(List.of("af_packet"))).isEmpty();
  }

  @Test
  void theTrimmedDepFileHasExactlyThePlannedModulesAndTheirDependencies() {
    List<String> order = DEBIAN.loadOrder(List.of("9p"));
    String dep = DEBIAN.depFileFor(order);
    assertThat(dep.lines()).hasSize(order.size());
    String line = dep.lines().filter(l -> l.startsWith("kernel/fs/9p/9p.ko:")).findFirst().orElseThrow();
    assertThat(line.substring(line.indexOf(':') + 1).trim().split(" ")).containsExactlyInAnyOrder(
        "kernel/fs/fscache/fscache.ko", "kernel/fs/netfs/netfs.ko", "kernel/net/9p/9pnet.ko");
    assertThat(KernelModules.parse(dep).loadOrder(List.of("9p"))).isEqualTo(order);
    assertThatThrownBy(() -> DEBIAN.depFileFor(List.of("kernel/nothing.ko"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aliasesAreKeptOnlyForPlannedModules() {
    String alias = KernelModules.aliasFileFor(Fixtures.text("modules.alias.txt"),
        DEBIAN.loadOrder(List.of("crc32c_generic", "nft_masq")));
    assertThat(alias).contains("alias crypto-crc32c crc32c_generic").contains("nft_masq")
        .doesNotContain("crc32c_intel").doesNotContain("virtio_mmio");
  }
}
