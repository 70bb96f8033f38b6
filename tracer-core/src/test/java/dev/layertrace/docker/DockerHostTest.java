package dev.layertrace.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.LayertraceException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DockerHostTest {
  @Test
  void theOptionWinsOverDockerHostWhichWinsOverTheDefault() {
    Map<String, String> env = Map.of("DOCKER_HOST", "unix:///run/from-env.sock");
    assertThat(DockerHost.resolve("unix:///run/layertrace/docker/docker.sock", env).socket())
        .isEqualTo(Path.of("/run/layertrace/docker/docker.sock"));
    assertThat(DockerHost.resolve(null, env).socket()).isEqualTo(Path.of("/run/from-env.sock"));
    assertThat(DockerHost.resolve("", Map.of()).socket()).isEqualTo(Path.of("/var/run/docker.sock"));
    assertThat(DockerHost.resolve(null, Map.of("DOCKER_HOST", " ")).uri()).isEqualTo("unix:///var/run/docker.sock");
  }

  @ParameterizedTest
  @CsvSource({
      "tcp://127.0.0.1:2375, only unix:///path/to/docker.sock is supported",
      "ssh://me@host, only unix:///path/to/docker.sock is supported",
      "unix://relative.sock, expected unix:///absolute/path",
      "unix://, expected unix:///absolute/path",
      "/var/run/docker.sock, only unix:///path/to/docker.sock is supported"})
  void otherSchemesAndRelativePathsAreUsageErrors(String uri, String message) {
    assertThatThrownBy(() -> DockerHost.parse(uri))
        .isInstanceOf(LayertraceException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((LayertraceException) e).exitCode()).isEqualTo(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"unix:///var/run/docker.sock", "unix:///run/layertrace/docker/docker.sock"})
  void theUriRoundTrips(String uri) {
    assertThat(DockerHost.parse(uri).uri()).isEqualTo(uri);
  }
}
