package dev.layertrace.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding answers recorded from Debian's dockerd 20.10 running in the lab's guest. */
class DockerJsonTest {
  @Test
  void theContainerListHasEveryContainerWithItsNamesAndState() {
    List<ContainerSummary> all = DockerJson.containers(DockerFixtures.read("containers-all.json"));
    assertThat(all).hasSize(17);
    assertThat(all).allSatisfy(c -> assertThat(c.id()).matches("[0-9a-f]{64}"));
    ContainerSummary web = all.stream().filter(c -> c.name().equals("lt-web")).findFirst().orElseThrow();
    assertThat(web.names()).containsExactly("/lt-web");
    assertThat(web.state()).isEqualTo("running");
    assertThat(web.image()).isEqualTo("lt-busybox");
    assertThat(all).filteredOn(c -> c.state().equals("created")).hasSize(16);
  }

  @Test
  void aRunningContainersDetailsGiveItsPidSandboxAndAddress() {
    ContainerDetails d = DockerJson.container(DockerFixtures.read("container-lt-web.json"));
    assertThat(d.name()).isEqualTo("lt-web");
    assertThat(d.id()).matches("[0-9a-f]{64}");
    assertThat(d.running()).isTrue();
    assertThat(d.pid()).isPositive();
    assertThat(d.ipAddress()).isEqualTo("172.18.0.2");
    assertThat(d.gateway()).isEqualTo("172.18.0.1");
    assertThat(d.networkMode()).isEqualTo("default");
    assertThat(d.hostNetwork()).isFalse();
    assertThat(d.sandboxKey().getParent()).isEqualTo(Path.of("/run/layertrace/lt-tdock-docker/exec/netns"));
    assertThat(d.netnsPath()).contains(d.sandboxKey());
    assertThat(d.describe()).isEqualTo("lt-web (" + d.id().substring(0, 12) + ")");
  }

  @Test
  void aCreatedContainerHasNoPidAndNoSandbox() {
    ContainerDetails d = DockerJson.container(DockerFixtures.read("container-created.json"));
    assertThat(d.running()).isFalse();
    assertThat(d.pid()).isZero();
    assertThat(d.sandboxKey()).isNull();
    assertThat(d.netnsPath()).isEmpty();
  }

  @Test
  void anApiErrorBodyGivesItsMessage() {
    assertThat(DockerJson.errorMessage(DockerFixtures.read("container-missing.json")))
        .isEqualTo("No such container: lt-nobody");
    assertThat(DockerJson.errorMessage("<html><body>502 Bad Gateway</body></html>"))
        .isEqualTo("<html><body>502 Bad Gateway</body></html>");
  }

  @Test
  void pingAcceptsOnlyOk() {
    DockerJson.ping(DockerFixtures.read("ping.txt"));
    assertThatThrownBy(() -> DockerJson.ping("<html>hello</html>"))
        .isInstanceOf(MalformedDockerResponse.class).hasMessageContaining("instead of OK");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "not json at all", "{\"Id\": 3}", "[1,2]", "\"OK\"", "{}"})
  void whatIsNotAnEngineApiAnswerIsACleanError(String body) {
    assertThatThrownBy(() -> DockerJson.container(body)).isInstanceOf(MalformedDockerResponse.class);
    assertThatThrownBy(() -> DockerJson.containers(body)).isInstanceOf(MalformedDockerResponse.class);
  }

  @Test
  void everyTruncationOfARecordedAnswerIsACleanErrorOrAValidRecord() {
    String body = DockerFixtures.read("container-lt-web.json");
    for (int n = 0; n < body.length(); n += 7) {
      String cut = body.substring(0, n);
      try {
        DockerJson.container(cut);
      } catch (MalformedDockerResponse expected) {
        // the only failure allowed
      }
    }
  }
}
