package dev.layertrace.agent;

import dev.layertrace.model.Finding;
import dev.layertrace.model.PathGraph;
import dev.layertrace.probe.TraceSession;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What an agent does for one request: resolve its half of the path and observe it. The live
 * implementation is {@link LiveHalfService}; the server and its protocol do not care which.
 */
public interface HalfService {
  /** Resolves the half and opens its observers; a {@link dev.layertrace.LayertraceException} when it cannot. */
  Half open(AgentMessages.HalfRequest request);

  /** One opened half: its path, then one watch, then closed. */
  interface Half extends AutoCloseable {
    PathGraph graph();

    List<Finding> findings();

    List<String> notes();

    /** Where a near half leaves into the VMM; null for a far half or a path that ends in this kernel. */
    dev.layertrace.discover.Handoff handoff();

    /** Observes until {@code stop}; see {@link TraceSession#watch}. */
    TraceSession.Watched watch(TraceSession.WatchSink sink, BooleanSupplier stop);

    Map<String, List<String>> conntrack();

    Map<String, String> forwardChains();

    /** Releases sockets and the tracefs instance; may be called from any thread, more than once. */
    @Override
    void close();
  }
}
