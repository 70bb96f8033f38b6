package dev.layertrace.lab.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class GuestControlProtocolTest {
  @Test
  void aRequestIsOneLineWhateverTheScript() {
    String r = GuestControlProtocol.request(7, 30, "echo 'a b'\nip netns exec lt-ctr ping -c 1 198.51.100.10\n");
    assertThat(r).endsWith("\n").hasLineCount(1).startsWith("7 30 ");
    assertThat(new String(Base64.getDecoder().decode(r.strip().split(" ")[2]), StandardCharsets.UTF_8))
        .isEqualTo("echo 'a b'\nip netns exec lt-ctr ping -c 1 198.51.100.10\n");
  }

  @Test
  void answersAreParsedAndNoiseIsNot() {
    String out = Base64.getEncoder().encodeToString("1 packets received\n".getBytes(StandardCharsets.UTF_8));
    assertThat(GuestControlProtocol.parse("7 0 " + out + "\n"))
        .isEqualTo(new GuestControlProtocol.Answer(7, 0, "1 packets received\n"));
    // What the guest prints for a command without output: the third field is empty.
    assertThat(GuestControlProtocol.parse("8 1 \n")).isEqualTo(new GuestControlProtocol.Answer(8, 1, ""));
    assertThat(GuestControlProtocol.parse("[    2.1] virtio_net virtio0 eth0: renamed")).isNull();
    assertThat(GuestControlProtocol.parse("9 0 not*base64")).isNull();
  }
}
