package dev.layertrace.lab.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuestImageRecipeTest {
  private static final String JDK = "/usr/lib/jvm/java-17-openjdk-amd64";

  private static InitramfsPlan plan() {
    Map<String, String> ldd = new LinkedHashMap<>(SharedLibraries.split(Fixtures.text("ldd.txt")));
    ldd.put("/usr/bin/dash", "\tlinux-vdso.so.1 (0x00007ffd)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)\n"
        + "\t/lib64/ld-linux-x86-64.so.2 (0x2)\n");
    return GuestImageRecipe.plan(new GuestImageRecipe.HostInputs(Fixtures.RELEASE, Fixtures.text("modules.dep.txt"),
        Fixtures.text("modules.alias.txt"), List.of("sh", "ip", "ls", "modprobe", "timeout"), ldd,
        List.of("/etc/java-17-openjdk/jvm-amd64.cfg"), JDK));
  }

  @Test
  void everyHostFileKeepsItsPathUnderTheMergedUsrAndTheJdkStaysOutside() {
    InitramfsPlan p = plan();
    assertThat(p.get("/usr/bin/ip")).isEqualTo(new InitramfsEntry.HostFile("/usr/bin/ip", "/usr/bin/ip", 0755));
    assertThat(p.get("/usr/lib/x86_64-linux-gnu/libbpf.so.1")).isInstanceOf(InitramfsEntry.HostFile.class);
    assertThat(p.get("/usr/lib64/ld-linux-x86-64.so.2"))
        .isEqualTo(new InitramfsEntry.HostFile("/usr/lib64/ld-linux-x86-64.so.2", "/lib64/ld-linux-x86-64.so.2", 0755));
    assertThat(p.get("/lib")).isEqualTo(new InitramfsEntry.Symlink("/lib", "usr/lib"));
    assertThat(p.entries()).noneMatch(e -> e.path().startsWith(JDK));
    // …but what the JDK's libraries need from outside it comes along.
    assertThat(p.get("/usr/lib/x86_64-linux-gnu/libc.so.6")).isNotNull();
    assertThat(p.get("/etc/java-17-openjdk/jvm-amd64.cfg")).isInstanceOf(InitramfsEntry.HostFile.class);
  }

  @Test
  void realToolsWinOverBusyboxAppletsAndTheShellIsDash() {
    InitramfsPlan p = plan();
    assertThat(p.get("/usr/bin/ls")).isEqualTo(new InitramfsEntry.Symlink("/usr/bin/ls", "busybox"));
    assertThat(p.get("/usr/bin/ip")).isInstanceOf(InitramfsEntry.HostFile.class);
    assertThat(p.get("/usr/bin/sh")).isEqualTo(new InitramfsEntry.Symlink("/usr/bin/sh", "dash"));
    assertThat(p.get("/usr/sbin/iptables")).isEqualTo(new InitramfsEntry.Symlink("/usr/sbin/iptables",
        "xtables-nft-multi"));
    assertThat(p.get("/usr/lib/x86_64-linux-gnu/xtables/libxt_MASQUERADE.so")).isNotNull();
  }

  @Test
  void theModulesComeWithATrimmedDepFileAndTheInitLoadsThemByName() {
    InitramfsPlan p = plan();
    String dir = "/usr/lib/modules/" + Fixtures.RELEASE;
    assertThat(p.get(dir + "/kernel/net/9p/9pnet_virtio.ko")).isInstanceOf(InitramfsEntry.HostFile.class);
    assertThat(p.get(dir + "/kernel/crypto/crc32c_generic.ko")).isNotNull();
    String dep = ((InitramfsEntry.Text) p.get(dir + "/modules.dep")).content();
    assertThat(dep).contains("kernel/net/9p/9pnet_virtio.ko:").doesNotContain("kernel/arch/x86/crypto/crc32c-intel.ko:");
    String init = ((InitramfsEntry.Text) p.get("/init")).content();
    assertThat(init).startsWith("#!/bin/sh").contains("for m in crc32c_generic virtio_mmio virtio_net")
        .contains("= \"layertrace.control\" ]").doesNotContain("@MODULES@").contains("mount -t cgroup2");
  }

  @Test
  void everyEntryComesAfterItsFolder() {
    List<String> seen = new ArrayList<>();
    for (InitramfsEntry e : plan().entries()) {
      String parent = e.path().substring(0, e.path().lastIndexOf('/'));
      if (!parent.isEmpty()) {
        assertThat(seen).as("folder of " + e.path()).contains(parent);
      }
      assertThat(seen).doesNotContain(e.path());
      seen.add(e.path());
    }
  }

  @Test
  void theJdksHeadlessLibrariesAreTheOnesInspected() {
    assertThat(GuestImageRecipe.jdkLibraryNeeded("libnio.so")).isTrue();
    assertThat(GuestImageRecipe.jdkLibraryNeeded("libawt_xawt.so")).isFalse();
    assertThat(GuestImageRecipe.jdkLibraryNeeded("jvm.cfg")).isFalse();
  }
}
