package dev.layertrace.lab.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.sys.Commands;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpioNewcWriterTest {
  private static byte[] archive() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (CpioNewcWriter w = new CpioNewcWriter(b)) {
      w.directory("/etc", 0755);
      w.file("/etc/hostname", 0644, "lt-guest\n".getBytes(StandardCharsets.UTF_8));
      w.symlink("/bin", "usr/bin");
    }
    return b.toByteArray();
  }

  @Test
  void headersFollowTheNewcLayout() throws Exception {
    byte[] a = archive();
    String text = new String(a, StandardCharsets.ISO_8859_1);
    assertThat(text).startsWith("070701");
    // The first header: inode 1, a directory 0755 (040755), name "etc" plus NUL = 4 bytes.
    String header = text.substring(0, 110);
    assertThat(header.substring(6, 14)).isEqualTo("00000001");
    assertThat(header.substring(14, 22)).isEqualTo(String.format("%08X", 040755));
    assertThat(header.substring(94, 102)).isEqualTo("00000004");
    assertThat(text.substring(110, 114)).isEqualTo("etc\0");
    assertThat(a.length % 4).isZero();
    assertThat(text).contains("lt-guest\n").contains("TRAILER!!!");
  }

  @Test
  void gnuCpioReadsItBack(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Commands.which("cpio").isPresent(), "GNU cpio is not installed (apt-get install cpio)");
    Path file = dir.resolve("a.cpio");
    Files.write(file, archive());
    Commands.Result r = Commands.run(List.of("sh", "-c", "cpio -itv < " + file), null, Duration.ofSeconds(10));
    assertThat(r.ok()).as(r.stderr()).isTrue();
    assertThat(r.stdout()).contains("drwxr-xr-x").contains("etc/hostname").contains("bin -> usr/bin");
    assertThat(r.stdout().lines().filter(l -> l.contains("etc/hostname")).findFirst().orElseThrow())
        .startsWith("-rw-r--r--").contains(" 9 ");
  }
}
