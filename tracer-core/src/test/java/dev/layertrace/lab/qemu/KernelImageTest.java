package dev.layertrace.lab.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class KernelImageTest {
  @Test
  void findsTheXzPayloadOfTheInstalledDebianKernel() throws Exception {
    Path vmlinuz;
    try (Stream<Path> boot = Files.list(Path.of("/boot"))) {
      vmlinuz = boot.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).sorted().findFirst().orElse(null);
    }
    Assumptions.assumeTrue(vmlinuz != null && Files.isReadable(vmlinuz),
        "no Debian kernel in /boot (apt-get install linux-image-amd64)");
    byte[] image = Files.readAllBytes(vmlinuz);
    KernelImage.Payload p = KernelImage.payload(image).orElseThrow();
    assertThat(p.compression()).isEqualTo(KernelImage.Compression.XZ);
    assertThat(p.offset() + p.length()).isLessThanOrEqualTo(image.length);
    // An unpacked 6.1 kernel is tens of MB: more than the compressed image, less than 256 MiB.
    assertThat(p.unpackedSize()).isBetween((long) image.length, 256L << 20);
  }

  @Test
  void somethingElseIsNotABzImage() {
    assertThat(KernelImage.payload(new byte[4096])).isEmpty();
    assertThat(KernelImage.isElf64(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0})).isTrue();
    assertThat(KernelImage.isElf64(new byte[] {0x7f, 'E', 'L', 'F', 1})).isFalse();
  }
}
