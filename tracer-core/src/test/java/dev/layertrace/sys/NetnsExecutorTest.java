package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.testing.RootOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A NetnsExecutor really works inside a scratch namespace and leaves every other thread alone. */
@RootOnly
class NetnsExecutorTest {
  private static ScratchNetns scratch;

  @BeforeAll
  static void createNamespace() {
    scratch = ScratchNetns.create("exec");
    scratch.ip("link", "add", "lt-tsys-br", "type", "bridge");
  }

  @AfterAll
  static void deleteNamespace() {
    if (scratch != null) {
      scratch.close();
    }
  }

  @Test
  void runsInTheNamespaceAndLeavesTheCallerAlone() {
    Netns target = scratch.netns();
    long callerBefore = Netns.currentThreadInode();
    assertThat(target.inode()).isNotEqualTo(callerBefore);
    long restored;
    try (NetnsExecutor ex = NetnsExecutor.enter(target)) {
      assertThat(ex.call(Netns::currentThreadInode)).isEqualTo(target.inode());
      assertThat(ex.call(target::isCurrentThread)).isTrue();
      assertThat(Netns.currentThreadInode()).isEqualTo(callerBefore);
      Thread t = ex.call(Thread::currentThread);
      assertThat(t.getName()).isEqualTo("layertrace-netns-lt-tsys-exec");
      assertThat(t.isDaemon()).isTrue();
      assertThat(ex.netns()).isEqualTo(target);
      ex.close();
      assertThat(t.isAlive()).isFalse();
      restored = ex.restoredInode();
    }
    assertThat(restored).as("the thread restored its own namespace before ending").isEqualTo(callerBefore);
    assertThat(Netns.currentThreadInode()).isEqualTo(callerBefore);
  }

  @Test
  void aChildProcessStartedOnTheThreadInheritsTheNamespace() throws IOException {
    try (NetnsExecutor ex = NetnsExecutor.enter(scratch.netns())) {
      String links = ex.call(() -> Commands.run("ip", "-o", "link", "show").orThrow().stdout());
      assertThat(links).contains("lt-tsys-br");
      // /proc/thread-self/net shows the thread's namespace, /proc/net the process's (main thread's).
      String devs = ex.call(() -> Files.readString(Path.of("/proc/thread-self/net/dev")));
      assertThat(devs).contains("lt-tsys-br");
    }
    assertThat(Files.readString(Path.of("/proc/thread-self/net/dev"))).doesNotContain("lt-tsys-br");
  }

  @Test
  void exceptionsComeBackAsTheyAre() {
    try (NetnsExecutor ex = NetnsExecutor.enter(scratch.netns())) {
      SysException sys = new SysException("bind", Errno.EADDRINUSE);
      assertThatThrownBy(() -> ex.run(() -> {
        throw sys;
      })).isSameAs(sys);
      assertThatThrownBy(() -> ex.call(() -> {
        throw new IOException("disk gone");
      })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("disk gone");
      // The thread survives a failed task.
      assertThat(ex.call(() -> 42)).isEqualTo(42);
    }
  }

  @Test
  void aTaskMayCallItsOwnExecutor() {
    try (NetnsExecutor ex = NetnsExecutor.enter(scratch.netns())) {
      assertThat(ex.call(() -> ex.call(() -> "inline"))).isEqualTo("inline");
    }
  }

  @Test
  void aClosedExecutorRefusesWork() {
    NetnsExecutor ex = NetnsExecutor.enter(scratch.netns());
    ex.close();
    ex.close(); // idempotent
    assertThatThrownBy(() -> ex.call(() -> 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void namespacesOfPidsAndSelfAreIdentified() {
    long own = Netns.self().inode();
    assertThat(Netns.ofPid((int) ProcessHandle.current().pid()).inode()).isEqualTo(own);
    assertThat(Netns.self().name()).isEqualTo("self");
    assertThat(Netns.ofPid(12).name()).isEqualTo("pid:12");
    assertThat(Netns.ofPath(Path.of("/run/netns/lt-tsys-exec")).name()).isEqualTo("lt-tsys-exec");
    assertThat(Netns.ofPath(Path.of("/run/netns/lt-tsys-exec")).inode()).isEqualTo(scratch.netns().inode());
    // The same inode that `ip netns identify`/stat report.
    String stat = Commands.run("stat", "-L", "-c", "%i", "/run/netns/lt-tsys-exec").orThrow().stdout().strip();
    assertThat(scratch.netns().inode()).isEqualTo(Long.parseLong(stat));
  }
}
