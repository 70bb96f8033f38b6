package dev.layertrace.fuzz;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Runs one parser call on fuzzed input with a time bound and judges how it ended: returning, or
 * throwing the parser's documented exception, is clean; any other throwable (NPE, index out of
 * bounds, stack overflow, out of memory) or running past the time bound is a crash. Counts inputs,
 * clean rejections and crashes so each fuzz class can print the figures for the closing note.
 *
 * <p>The call runs on a worker thread so that an endless loop is caught by the bound instead of
 * hanging the build; a worker that overran is abandoned (daemon) and a fresh one is started.
 */
final class FuzzHarness implements AutoCloseable {
  private static final Duration CALL_BOUND = Duration.ofSeconds(2);

  private final String target;
  private final Predicate<Throwable> documented;
  private final Duration budget;
  private final long startNanos = System.nanoTime();
  private final AtomicLong inputs = new AtomicLong();
  private final AtomicLong parsed = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong crashes = new AtomicLong();
  private final AtomicLong overBudget = new AtomicLong();
  private final Map<String, Long> crashKinds = new TreeMap<>();
  private ExecutorService worker = newWorker();

  /**
   * @param target what is fuzzed, for the summary line
   * @param documented which throwables the parser documents as its clean parse error
   * @param budget after this much time the remaining tries are counted but not run, which bounds CI time
   */
  FuzzHarness(String target, Predicate<Throwable> documented, Duration budget) {
    this.target = target;
    this.documented = documented;
    this.budget = budget;
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "layertrace-fuzz");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Runs {@code call}; throws an AssertionError naming {@code input} when it crashed.
   *
   * @param input a short description of the input, shown when the property fails
   */
  synchronized void check(String input, Callable<?> call) {
    if (System.nanoTime() - startNanos > budget.toNanos()) {
      overBudget.incrementAndGet();
      return;
    }
    inputs.incrementAndGet();
    Future<?> f = worker.submit(call);
    Throwable thrown;
    try {
      f.get(CALL_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      parsed.incrementAndGet();
      return;
    } catch (TimeoutException e) {
      f.cancel(true);
      worker.shutdownNow();
      worker = newWorker();
      crash("timeout");
      throw new AssertionError(target + " ran longer than " + CALL_BOUND.toSeconds() + " s on " + input);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException e) {
      thrown = e.getCause();
    }
    if (documented.test(thrown)) {
      rejected.incrementAndGet();
      return;
    }
    crash(thrown.getClass().getSimpleName());
    throw new AssertionError(target + " threw " + thrown + " (not its documented parse error) on " + input, thrown);
  }

  private void crash(String kind) {
    crashes.incrementAndGet();
    crashKinds.merge(kind, 1L, Long::sum);
  }

  /** The length and first bytes in hex, for a failure message. */
  static String hex(byte[] b) {
    return b.length + " bytes " + java.util.HexFormat.of().formatHex(b, 0, Math.min(b.length, 96));
  }

  long inputs() {
    return inputs.get();
  }

  long crashes() {
    return crashes.get();
  }

  /** One line for the test log: {@code fuzz nft-json: 3000 inputs, 2211 rejected cleanly, 0 crashes, 1.9 s}. */
  String summary() {
    return String.format("fuzz %s: %d inputs, %d parsed, %d rejected cleanly, %d crashes%s, %d over budget, %.1f s",
        target, inputs.get(), parsed.get(), rejected.get(), crashes.get(),
        crashKinds.isEmpty() ? "" : " " + crashKinds, overBudget.get(), (System.nanoTime() - startNanos) / 1e9);
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
