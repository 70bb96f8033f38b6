package dev.layertrace.lab.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedLibrariesTest {
  private static final Map<String, String> LDD = SharedLibraries.split(Fixtures.text("ldd.txt"));

  @Test
  void splitsTheOutputOfSeveralFilesByTheirHeaders() {
    assertThat(LDD).containsOnlyKeys("/usr/bin/ip", "/usr/sbin/nft",
        "/usr/lib/jvm/java-17-openjdk-amd64/lib/libnio.so", "/usr/lib/x86_64-linux-gnu/xtables/libxt_MASQUERADE.so");
  }

  @Test
  void listsTheLibrariesAndTheInterpreterButNotTheVdso() {
    assertThat(SharedLibraries.parse(LDD.get("/usr/bin/ip"))).containsExactly(
        "/lib/x86_64-linux-gnu/libbpf.so.1", "/lib/x86_64-linux-gnu/libelf.so.1", "/lib/x86_64-linux-gnu/libmnl.so.0",
        "/lib/x86_64-linux-gnu/libbsd.so.0", "/lib/x86_64-linux-gnu/libcap.so.2", "/lib/x86_64-linux-gnu/libc.so.6",
        "/lib/x86_64-linux-gnu/libz.so.1", "/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/libmd.so.0");
  }

  @Test
  void aMissingLibraryFailsUnlessAllowed() {
    String nio = LDD.get("/usr/lib/jvm/java-17-openjdk-amd64/lib/libnio.so");
    assertThatThrownBy(() -> SharedLibraries.parse(nio)).hasMessageContaining("libjvm.so");
    assertThat(SharedLibraries.parse(nio, true)).contains("/lib/x86_64-linux-gnu/libc.so.6")
        .noneMatch(p -> p.contains("libjvm"));
  }

  @Test
  void aStaticBinaryHasNone() {
    assertThat(SharedLibraries.parse("\tnot a dynamic executable\n")).isEmpty();
  }
}
