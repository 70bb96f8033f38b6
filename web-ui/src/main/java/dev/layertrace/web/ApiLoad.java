package dev.layertrace.web;

import dev.layertrace.LayertraceException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A bounded load loop for the benchmark: {@code clients} threads, each sending {@code requests}
 * GETs one after another (back to back, or paced at {@code perClientRate} per second), all starting
 * together. They share one {@link HttpClient}, whose pool then holds one keep-alive connection per
 * client in flight. Loopback targets only, so it can never load someone else's server.
 */
public final class ApiLoad {
  /**
   * Latency figures in milliseconds, how many responses were not 200, and the CPU time the server's
   * threads (named {@link WebServer#THREAD_PREFIX}) spent per request, when the server runs in this JVM.
   */
  public record Result(int clients, int requests, double p50Ms, double p95Ms, double p99Ms, double maxMs,
      double throughputPerS, int failures, double serverCpuUsPerRequest) {}

  private ApiLoad() {}

  /**
   * @throws LayertraceException (exit 2) when {@code uri} is not on a loopback address
   */
  public static Result run(URI uri, int clients, int requestsPerClient, double perClientRate)
      throws InterruptedException {
    requireLoopback(uri);
    long intervalNs = perClientRate > 0 ? (long) (1e9 / perClientRate) : 0;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<long[]>> futures = new ArrayList<>();
    int[] failures = new int[clients];
    for (int c = 0; c < clients; c++) {
      int client = c;
      futures.add(pool.submit(() -> {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        http.send(req, HttpResponse.BodyHandlers.discarding()); // connect before timing
        long[] lat = new long[requestsPerClient];
        start.await();
        long next = System.nanoTime() + (intervalNs == 0 ? 0 : (long) (Math.random() * intervalNs));
        for (int i = 0; i < requestsPerClient; i++) {
          if (intervalNs > 0) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            next += intervalNs;
          }
          long t = System.nanoTime();
          HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
          lat[i] = System.nanoTime() - t;
          if (r.statusCode() != 200) {
            failures[client]++;
          }
        }
        return lat;
      }));
    }
    long cpu0 = serverCpuNs();
    long t0 = System.nanoTime();
    start.countDown();
    List<Long> all = new ArrayList<>();
    try {
      for (Future<long[]> f : futures) {
        for (long l : f.get()) {
          all.add(l);
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw LayertraceException.input("load run failed: " + (cause instanceof IOException ? cause.getMessage() : cause), cause);
    } finally {
      pool.shutdownNow();
    }
    long wall = System.nanoTime() - t0;
    long cpu = serverCpuNs() - cpu0;
    long[] sorted = all.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return new Result(clients, sorted.length, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
        sorted[sorted.length - 1] / 1e6, sorted.length / (wall / 1e9), Arrays.stream(failures).sum(),
        cpu / 1e3 / sorted.length);
  }

  /** CPU time so far of this JVM's server threads (0 when the JVM cannot tell). */
  private static long serverCpuNs() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    if (!mx.isThreadCpuTimeSupported()) {
      return 0;
    }
    long sum = 0;
    for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null && t.getThreadName().startsWith(WebServer.THREAD_PREFIX)) {
        long ns = mx.getThreadCpuTime(t.getThreadId());
        sum += Math.max(0, ns);
      }
    }
    return sum;
  }

  private static double pct(long[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  private static void requireLoopback(URI uri) {
    try {
      if (uri.getHost() == null || !InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
        throw LayertraceException.usage("the load loop only targets loopback addresses, not " + uri.getHost());
      }
    } catch (UnknownHostException e) {
      throw LayertraceException.usage("unknown host " + uri.getHost());
    }
  }
}
