package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.check.FileFact;
import org.junit.jupiter.api.Test;

/** Reading /proc, /sys and /dev into facts, compared with what cat and stat say. */
class FactFilesTest {

  @Test
  void readsWholeSysctlValues() {
    // Files.readString returns only "3" of "32768" here: /proc/sys files have size 0 and refuse
    // reads from a non-zero offset. A multi-digit value proves the whole value was read.
    FileFact f = FactFiles.read("/proc/sys/kernel/pid_max");
    assertThat(f.present()).isTrue();
    assertThat(f.value()).isEqualTo(Commands.run("cat", "/proc/sys/kernel/pid_max").orThrow().stdout().strip())
        .hasSizeGreaterThan(1);
  }

  @Test
  void listsDirectoriesSorted() {
    FileFact f = FactFiles.read("/proc/self/ns");
    assertThat(f.lines()).contains("mnt", "net", "pid").isSorted();
  }

  @Test
  void namesDeviceNodesByTypeAndNumbers() {
    FileFact f = FactFiles.read("/dev/null");
    assertThat(f.value()).isEqualTo("char 1:3");
  }

  @Test
  void absentIsAFactNotAnError() {
    FileFact f = FactFiles.read("/proc/sys/net/lt-tdoc-no-such-sysctl");
    assertThat(f.presence()).isEqualTo(FileFact.Presence.ABSENT);
    assertThat(f.evidence()).isEqualTo("/proc/sys/net/lt-tdoc-no-such-sysctl absent");
  }
}
