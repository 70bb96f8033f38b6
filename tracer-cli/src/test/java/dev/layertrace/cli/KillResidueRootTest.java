package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.lab.LabTopology;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.LabSystem;
import dev.layertrace.testing.RootOnly;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100 SIGKILLs at random moments (seeded, logged: rerun one with {@code -Dlt.kill.seed=N}) of real
 * child processes: {@code trace} (half with {@code --rule-trace}) on a private lab copy
 * ({@code lt-h10-*}), {@code serve --allow-live} (idle, or in the middle of a live trace on that
 * copy), {@code lab up} and {@code demo} on the standard lab. After each kill, the next run or
 * {@code layertrace cleanup} must restore a clean system: no tracefs instance and no nft table named
 * layertrace*, no relay, no lab dockerd, no orphaned {@code nft monitor}, and no standard-lab
 * namespace unless a lab is meant to be up (see {@link SystemResidue}).
 *
 * <p>Bound: 100 kills of a running command (40 trace, 20 serve, 25 lab up, 15 demo; a run that
 * ends before its kill gets one more round of its kind, at most 30); the kill moment is uniform over
 * the command's own measured run time, so most kills land in the JVM's start and discovery; every
 * 5th round restores with the next run of the command instead of cleanup. Time budget 6 minutes on
 * 2 cores (the @Timeout; about 2.5 minutes measured); the figures are printed.
 */
@RootOnly
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillResidueRootTest {
  private static final String PREFIX = "lt-h10-";
  private static final LabTopology COPY = LabTopology.copy(PREFIX, LabTopology.VmmLink.VETH);
  private static final String REMOTE = LabTopology.REMOTE;
  private static final Pattern SERVE_URL = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/");
  private static final Pattern TOKEN = Pattern.compile("live token: (\\S+)");

  enum Kind { TRACE, SERVE, LAB_UP, DEMO }

  @TempDir
  Path tmp;
  private LabSystem copy;
  private final Set<Long> ours = Collections.synchronizedSet(new HashSet<>());
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  void setUp() {
    cleanupInProcess();
    copy = new LabSystem(COPY, new LabRuntime(Path.of("/run/layertrace/" + PREFIX + "lab")), List.of());
    copy.up();
  }

  @AfterAll
  void tearDown() {
    try {
      cleanupInProcess();
    } finally {
      if (copy != null) {
        copy.down();
      }
    }
  }

  @Test
  @Timeout(value = 360)
  void hundredKillsAtRandomMomentsLeaveNothingBehindTheNextRunOrCleanup() throws Exception {
    long seed = Long.getLong("lt.kill.seed", System.nanoTime());
    System.out.println("kill residue: seed " + seed + " (rerun with -Dlt.kill.seed=" + seed + ")");
    Random random = new Random(seed);
    long t0 = System.nanoTime();
    // Each command's full run time, measured here: the kill moments are drawn from it.
    long traceMs = calibrate("trace", traceArgs(true));
    long labUpMs = calibrate("lab up", "lab", "up");
    cleanupInProcess();
    long demoMs = calibrate("demo", "demo", "--out", tmp.toString());
    cleanupInProcess();
    long serveMs = 1500; // to "live token", measured below per round
    System.out.printf(Locale.ROOT, "kill residue: full runs: trace %d ms, lab up %d ms, demo %d ms%n", traceMs, labUpMs,
        demoMs);

    List<Kind> rounds = new ArrayList<>();
    rounds.addAll(Collections.nCopies(40, Kind.TRACE));
    rounds.addAll(Collections.nCopies(20, Kind.SERVE));
    rounds.addAll(Collections.nCopies(25, Kind.LAB_UP));
    rounds.addAll(Collections.nCopies(15, Kind.DEMO));
    Collections.shuffle(rounds, random);

    int kills = 0;
    int finishedFirst = 0;
    int dirtyAfterKill = 0;
    int restoredByNextRun = 0;
    List<String> log = new ArrayList<>();
    for (int i = 0; i < rounds.size() && kills < 100; i++) {
      Kind kind = rounds.get(i);
      boolean nextRun = i % 5 == 4;
      long delay = switch (kind) {
        case TRACE -> random.nextInt((int) traceMs);
        case LAB_UP -> random.nextInt((int) labUpMs);
        case DEMO -> random.nextInt((int) demoMs);
        case SERVE -> random.nextInt((int) serveMs);
      };
      boolean live = kind == Kind.SERVE && random.nextBoolean();
      Path out = tmp.resolve("round-" + i + ".log");
      ChildCli child = switch (kind) {
        case TRACE -> ChildCli.start(out, traceArgs(random.nextBoolean()));
        case LAB_UP -> ChildCli.start(out, "lab", "up");
        case DEMO -> ChildCli.start(out, "demo", "--out", tmp.toString());
        case SERVE -> ChildCli.start(out, "serve", "--allow-live", "--port", "0", "--captures", tmp.toString());
      };
      ours.add(child.pid());
      if (live) {
        // Up to the token, then a live trace on the copy; the kill falls somewhere in that trace.
        assertThat(child.awaitOutput("live token:", Duration.ofSeconds(20))).as(child.output()).isTrue();
        startLiveTrace(child.output());
        delay = random.nextInt((int) traceMs / 2);
      }
      ChildCli.sleep(delay);
      boolean alive = child.process().isAlive();
      child.signal("KILL");
      int exit = child.await(Duration.ofSeconds(10));
      if (alive && exit == 137) {
        kills++;
      } else if (finishedFirst++ < 30) {
        rounds.add(kind); // it ended before the kill: one more round of its kind, so that 100 kills land
      }
      SystemResidue left = SystemResidue.scan(ours, PREFIX);
      boolean dirty = !left.cleanExcept(COPY.namespaces());
      dirtyAfterKill += dirty ? 1 : 0;
      String how = restore(kind, nextRun, out);
      restoredByNextRun += how.startsWith("next") ? 1 : 0;
      SystemResidue after = SystemResidue.scan(ours, PREFIX);
      String line = String.format(Locale.ROOT, "round %3d %-6s%s killed at %4d ms (exit %d)%s; restored by %s", i,
          kind, live ? " live" : "     ", delay, exit, dirty ? ", left " + left : ", left nothing", how);
      log.add(line);
      assertThat(after.cleanExcept(COPY.namespaces())).as(line + "\nstill left: " + after).isTrue();
    }
    log.forEach(System.out::println);
    long totalMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf(Locale.ROOT, "kill residue: %d rounds, %d SIGKILLs mid-run (%d finished first), %d left residue"
        + " right after the kill, all restored (%d by the next run, the rest by cleanup); %d s in all%n", kills
        + finishedFirst, kills, finishedFirst, dirtyAfterKill, restoredByNextRun, totalMs / 1000);
    assertThat(kills).as("kills that hit a running command").isEqualTo(100);
  }

  private String[] traceArgs(boolean ruleTrace) {
    List<String> a = new ArrayList<>(List.of("trace", "--from", "netns:" + COPY.ctr(), "--to", REMOTE));
    if (ruleTrace) {
      a.add("--rule-trace");
    }
    return a.toArray(String[]::new);
  }

  /** Runs the command to its end once and returns its wall time. */
  private long calibrate(String what, String... args) {
    long t = System.nanoTime();
    ChildCli c = ChildCli.start(tmp.resolve("calibrate.log"), args);
    ours.add(c.pid());
    int exit = c.await(Duration.ofSeconds(90));
    long ms = (System.nanoTime() - t) / 1_000_000;
    assertThat(exit).as(what + ": " + c.output()).isIn(0, 1);
    return ms;
  }

  /**
   * The next run of the same command to its end (every 5th round), else {@code layertrace cleanup}:
   * in this JVM, and as a child process every 10th round.
   */
  private String restore(Kind kind, boolean nextRun, Path out) {
    if (nextRun) {
      switch (kind) {
        case TRACE -> {
          // The next traced run with --rule-trace sweeps both what a killed trace can leave.
          ChildCli c = ChildCli.start(out, traceArgs(true));
          ours.add(c.pid());
          assertThat(c.await(Duration.ofSeconds(60))).as(c.output()).isEqualTo(0);
          return "next trace --rule-trace";
        }
        case LAB_UP -> {
          ChildCli c = ChildCli.start(out, "lab", "up");
          ours.add(c.pid());
          assertThat(c.await(Duration.ofSeconds(60))).as(c.output()).isEqualTo(0);
          SystemResidue up = SystemResidue.scan(ours, PREFIX);
          List<String> labUp = new ArrayList<>(COPY.namespaces());
          labUp.addAll(LabTopology.standard().namespaces());
          assertThat(up.cleanExcept(labUp)).as("after the next lab up: " + up).isTrue();
          assertThat(up.relays()).as("one relay").hasSize(1);
          assertThat(up.namespaces()).containsAll(LabTopology.standard().namespaces());
          cleanupInProcess();
          return "next lab up (then cleanup)";
        }
        default -> {
          // demo and serve: their next run leaves what it finds (a lab already up) in place
        }
      }
    }
    if (kind == Kind.DEMO || nextRun) {
      ChildCli c = ChildCli.start(out, "cleanup");
      ours.add(c.pid());
      assertThat(c.await(Duration.ofSeconds(60))).as(c.output()).isEqualTo(0);
      return "cleanup (child)";
    }
    cleanupInProcess();
    return "cleanup";
  }

  private void startLiveTrace(String serveOutput) throws IOException {
    Matcher url = SERVE_URL.matcher(serveOutput);
    Matcher token = TOKEN.matcher(serveOutput);
    assertThat(url.find() && token.find()).as(serveOutput).isTrue();
    String body = "{\"source\":\"netns:" + COPY.ctr() + "\",\"destination\":\"" + REMOTE + "\",\"protocol\":\"icmp\"}";
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + url.group(1) + "/api/live"))
        .header("X-Layertrace-Token", token.group(1)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    // Not awaited: the stream ends when the server is killed.
    http.sendAsync(r, HttpResponse.BodyHandlers.discarding());
  }

  private static void cleanupInProcess() {
    StringWriter s = new StringWriter();
    PrintWriter w = new PrintWriter(s, true);
    int exit = Main.run(new String[] {"cleanup"}, w, w);
    assertThat(exit).as("cleanup: " + s).isEqualTo(0);
  }
}
