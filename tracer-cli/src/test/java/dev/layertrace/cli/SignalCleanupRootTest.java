package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.lab.LabTopology;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.LabSystem;
import dev.layertrace.testing.RootOnly;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGINT (Ctrl-C) and SIGTERM sent to a running {@code trace --rule-trace}, {@code lab up} and
 * {@code serve --allow-live} (in the middle of a live trace) as real child processes: each cleans up
 * in its own process (shutdown hooks) — exit 130 or 143, and nothing left (see
 * {@link SystemResidue}) without any cleanup run afterwards. The signal goes out once the command
 * has made something: its tracefs instance, or the lab's first namespace. Bound: six runs, each
 * under 60 s (about 25 s in all).
 */
@RootOnly
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class SignalCleanupRootTest {
  private static final String PREFIX = "lt-h10-";
  private static final LabTopology COPY = LabTopology.copy(PREFIX, LabTopology.VmmLink.VETH);
  private static final Pattern SERVE_URL = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/");
  private static final Pattern TOKEN = Pattern.compile("live token: (\\S+)");

  @TempDir
  Path tmp;
  private LabSystem copy;

  @BeforeAll
  void setUp() {
    cleanup();
    copy = new LabSystem(COPY, new LabRuntime(Path.of("/run/layertrace/" + PREFIX + "lab")), List.of());
    copy.up();
  }

  @AfterAll
  void tearDown() {
    try {
      cleanup();
    } finally {
      if (copy != null) {
        copy.down();
      }
    }
  }

  @AfterEach
  void removeWhateverATestLeft() {
    cleanup();
  }

  @ParameterizedTest
  @ValueSource(strings = {"INT", "TERM"})
  void traceWithRuleTraceCleansUpOnTheSignal(String signal) {
    ChildCli c = ChildCli.start(tmp.resolve("trace.log"), "trace", "--from", "netns:" + COPY.ctr(), "--to",
        LabTopology.REMOTE, "--rule-trace", "--count", "16");
    assertThat(awaitPath(SystemResidue.INSTANCES.resolve("layertrace-" + c.pid()), c)).as(c.output()).isTrue();
    c.signal(signal);
    assertSignalExit(c, signal);
    assertClean(c, List.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {"INT", "TERM"})
  void labUpRemovesTheHalfBuiltLabOnTheSignal(String signal) {
    ChildCli c = ChildCli.start(tmp.resolve("up.log"), "lab", "up");
    assertThat(awaitPath(Path.of("/run/netns", LabTopology.CTR), c)).as(c.output()).isTrue();
    c.signal(signal);
    assertSignalExit(c, signal);
    assertClean(c, List.of());
    assertThat(LabRuntime.standard().dir()).as("the lab's runtime folder").doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(strings = {"INT", "TERM"})
  void serveStopsItsLiveTraceOnTheSignal(String signal) throws Exception {
    ChildCli c = ChildCli.start(tmp.resolve("serve.log"), "serve", "--allow-live", "--port", "0", "--captures",
        tmp.toString());
    assertThat(c.awaitOutput("live token:", Duration.ofSeconds(30))).as(c.output()).isTrue();
    Matcher url = SERVE_URL.matcher(c.output());
    Matcher token = TOKEN.matcher(c.output());
    assertThat(url.find() && token.find()).isTrue();
    HttpRequest live = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + url.group(1) + "/api/live"))
        .header("X-Layertrace-Token", token.group(1))
        .POST(HttpRequest.BodyPublishers.ofString("{\"source\":\"netns:" + COPY.ctr() + "\",\"destination\":\""
            + LabTopology.REMOTE + "\",\"protocol\":\"icmp\"}"))
        .build();
    var stream = HttpClient.newHttpClient().sendAsync(live, HttpResponse.BodyHandlers.ofString());
    assertThat(awaitPath(SystemResidue.INSTANCES.resolve("layertrace-" + c.pid()), c)).as(c.output()).isTrue();
    c.signal(signal);
    assertSignalExit(c, signal);
    assertClean(c, List.of());
    stream.handle((r, e) -> null).get();
  }

  private static void assertSignalExit(ChildCli c, String signal) {
    int exit = c.await(Duration.ofSeconds(30));
    assertThat(exit).as(signal + ": " + c.output()).isEqualTo(signal.equals("INT") ? 130 : 143);
    assertThat(c.output()).as("no stack trace").doesNotContain("\tat ");
  }

  /** Nothing of {@code c}'s left, with no cleanup run in between: the process cleaned up itself. */
  private static void assertClean(ChildCli c, List<String> labUp) {
    SystemResidue left = SystemResidue.scan(Set.of(c.pid()), PREFIX);
    List<String> allowed = new java.util.ArrayList<>(COPY.namespaces());
    allowed.addAll(labUp);
    assertThat(left.cleanExcept(allowed)).as("left: " + left).isTrue();
  }

  /** Waits until {@code p} exists (the command made it) or the command ended. */
  private static boolean awaitPath(Path p, ChildCli c) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline && c.process().isAlive()) {
      if (Files.exists(p)) {
        return true;
      }
      ChildCli.sleep(2);
    }
    return false;
  }

  private static void cleanup() {
    StringWriter s = new StringWriter();
    PrintWriter w = new PrintWriter(s, true);
    assertThat(Main.run(new String[] {"cleanup"}, w, w)).as(s.toString()).isEqualTo(0);
  }
}
