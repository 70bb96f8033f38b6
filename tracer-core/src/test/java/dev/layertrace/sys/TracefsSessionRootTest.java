package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.testing.RootOnly;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tracefs instance as {@code trace --repeat} uses it: each {@link TracefsSession#readAndClear}
 * returns what was recorded since the last one and nothing twice, and the instance is removed on close
 * although its trace_pipe was open.
 */
@RootOnly
class TracefsSessionRootTest {
  /** An ICMP payload no other traffic on this machine is likely to have: frames of 1153 bytes on lo. */
  static final int PAYLOAD = 1111;
  static final int FRAME = PAYLOAD + 8 + 20 + 14;

  static void ping(ScratchNetns ns) {
    Commands.run("ip", "netns", "exec", ns.name(), "ping", "-c1", "-W1", "-s", Integer.toString(PAYLOAD),
        "127.0.0.1").orThrow();
  }

  static long queued(List<String> lines) {
    return lines.stream().filter(l -> l.contains("net_dev_queue") && l.contains("dev=lo")
        && l.contains("len=" + FRAME)).count();
  }

  @Test
  void eachReadReturnsOnlyWhatCameSinceTheLastAndCloseRemovesTheInstance() throws Exception {
    try (ScratchNetns ns = ScratchNetns.create("tfs")) {
      TracefsSession s = TracefsSession.start("layertrace-" + ProcessHandle.current().pid() + "-tfs",
          List.of(PAYLOAD + 28, FRAME));
      try {
        ping(ns);
        // Echo request and reply: each queued once on lo.
        assertThat(queued(s.readAndClear())).isEqualTo(2);
        assertThat(queued(s.readAndClear())).isZero();
        ping(ns);
        ping(ns);
        assertThat(queued(s.readAndClear())).isEqualTo(4);
      } finally {
        s.close();
      }
      assertThat(Files.exists(s.dir())).as(s.dir().toString()).isFalse();
      assertThat(s.readAndClear()).isEmpty();
    }
  }
}
