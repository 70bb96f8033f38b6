package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.LayertraceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands started now and collected later, as the rule reader runs its three tools side by side. */
class CommandsStartTest {

  @Test
  void aStartedCommandIsCollectedWithItsOutputAndExitCode() {
    Commands.Running r = Commands.start(List.of("sh", "-c", "read x; echo \"got $x\"; echo oops >&2; exit 3"),
        "input\n", Duration.ofSeconds(10));

    Commands.Result result = r.await();

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("got input\n");
    assertThat(result.stderr()).isEqualTo("oops\n");
    assertThat(result.argv()).containsExactly("sh", "-c", "read x; echo \"got $x\"; echo oops >&2; exit 3");
  }

  @Test
  void startReturnsWhileTheCommandStillRuns(@TempDir Path dir) throws Exception {
    Path gate = dir.resolve("gate");
    // The command waits for a file that only this thread makes after start() has returned.
    Commands.Running r = Commands.start(List.of("sh", "-c", "while [ ! -e '" + gate + "' ]; do sleep 0.01; done;"
        + " echo passed"), null, Duration.ofSeconds(20));
    Files.createFile(gate);

    assertThat(r.await().stdout()).isEqualTo("passed\n");
  }

  @Test
  void aCommandPastItsDeadlineIsKilledAndSaysSo() {
    Commands.Running r = Commands.start(List.of("sleep", "30"), null, Duration.ofMillis(200));

    assertThatThrownBy(r::await).isInstanceOf(LayertraceException.class).hasMessageContaining("did not finish");
  }

  @Test
  void aMissingToolFailsAtStart() {
    assertThatThrownBy(() -> Commands.start(List.of("lt-no-such-tool"), null, Duration.ofSeconds(1)))
        .isInstanceOf(LayertraceException.class).hasMessageContaining("cannot run 'lt-no-such-tool'");
  }
}
