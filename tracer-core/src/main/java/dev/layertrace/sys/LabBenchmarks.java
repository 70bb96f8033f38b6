package dev.layertrace.sys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.lab.LabTopology;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * Measurements through a lab for {@code layertrace bench lab}: ICMP round trips from the container to
 * the remote, and iperf3 TCP throughput over the whole path (server in the internet namespace,
 * client in the container's).
 */
public final class LabBenchmarks {
  private static final int IPERF_PORT = 5201;

  private LabBenchmarks() {}

  /** {@code count} ICMP echo round trips in microseconds (the JDK's raw-socket echo, sent from inside lt-ctr). */
  public static long[] icmpRoundTrips(LabTopology t, int count) {
    try (NetnsExecutor ns = NetnsExecutor.enter(Netns.named(t.ctr()))) {
      return ns.call(() -> {
        InetAddress dst = InetAddress.getByName(LabTopology.REMOTE);
        dst.isReachable(1000); // warm: neighbour entries, the JIT
        long[] rtt = new long[count];
        for (int i = 0; i < count; i++) {
          long t0 = System.nanoTime();
          if (!dst.isReachable(1000)) {
            throw new LayertraceException(ExitCode.STOPPED, "no reply from " + LabTopology.REMOTE + " in " + t.ctr());
          }
          rtt[i] = (System.nanoTime() - t0) / 1000;
        }
        return rtt;
      });
    }
  }

  /** TCP throughput in bit/s as the iperf3 receiver counted it, over {@code seconds}. */
  public static double tcpThroughput(LabTopology t, int seconds) {
    Commands.require("iperf3", "iperf3");
    ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", t.inet(), "iperf3", "-s", "-1", "-B",
        LabTopology.REMOTE, "-p", Integer.toString(IPERF_PORT))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process server;
    try {
      server = pb.start();
    } catch (IOException e) {
      throw LayertraceException.missingFeature("cannot start iperf3: " + e.getMessage());
    }
    try {
      Commands.Result r = null;
      for (int attempt = 0; attempt < 20; attempt++) { // until the server listens
        r = Commands.run(List.of("ip", "netns", "exec", t.ctr(), "iperf3", "-c", LabTopology.REMOTE, "-p",
            Integer.toString(IPERF_PORT), "-t", Integer.toString(seconds), "-J"), null,
            Duration.ofSeconds(seconds + 20L));
        if (r.ok()) {
          break;
        }
        Thread.sleep(100);
      }
      JsonNode end = new ObjectMapper().readTree(r.stdout()).path("end").path("sum_received");
      if (!r.ok() || end.isMissingNode()) {
        throw new LayertraceException(ExitCode.STOPPED, "iperf3 through " + t.ctr() + " failed: "
            + r.stdout().lines().filter(l -> l.contains("\"error\"")).findFirst().orElse(r.stderr().strip()));
      }
      return end.path("bits_per_second").asDouble();
    } catch (IOException e) {
      throw new LayertraceException(ExitCode.INTERNAL, "unreadable iperf3 output: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LayertraceException(ExitCode.INTERNAL, "interrupted");
    } finally {
      server.destroy();
    }
  }
}
