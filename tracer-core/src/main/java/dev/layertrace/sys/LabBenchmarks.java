package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.lab.LabTopology;
import java.net.InetAddress;

/**
 * Measurements through a lab for {@code layertrace bench lab}: ICMP round trips from the container to
 * the remote ({@link IperfFlood} runs its iperf3 throughput).
 */
public final class LabBenchmarks {
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
}
