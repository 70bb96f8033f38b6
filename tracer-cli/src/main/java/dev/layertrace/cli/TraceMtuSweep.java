package dev.layertrace.cli;

import dev.layertrace.model.Finding;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Protocol;
import dev.layertrace.model.Verdict;
import dev.layertrace.probe.MtuSweep;
import dev.layertrace.probe.ProbeId;
import dev.layertrace.probe.ProbeSpec;
import dev.layertrace.probe.TraceSession;
import java.net.Inet4Address;
import java.util.List;
import java.util.Random;

/** {@code trace --mtu-sweep}: one short ICMP DF trace per size of the binary search, along the discovered path. */
final class TraceMtuSweep {
  private TraceMtuSweep() {}

  static MtuSweep.Result sweep(PathGraph graph, List<Finding> findings, Inet4Address dst, int ttl) {
    String instance = "layertrace-" + ProcessHandle.current().pid() + "-mtu";
    return MtuSweep.run(graph, MtuSweep.upperBound(graph), size -> traceOne(new TraceSession.Request(graph, findings,
        List.of(), new ProbeSpec(Protocol.ICMP, null, dst, 0, size, true, ttl), 1, instance)));
  }

  /** One probe, with the same Ctrl-C guarantee as the main trace: the hook is in place before anything opens. */
  private static Verdict traceOne(TraceSession.Request request) {
    List<ProbeId> ids = ProbeId.allocate(1, new Random());
    TraceSession session = TraceSession.create(request);
    Thread hook = new Thread(session::close, "layertrace-mtu-sweep-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      long t0 = System.nanoTime();
      session.open(ids);
      return session.run(ids, System.nanoTime() - t0).verdicts().get(0);
    } finally {
      session.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs anyway
      }
    }
  }
}
