package dev.layertrace.web;

import dev.layertrace.Version;
import dev.layertrace.discover.DecodingHostView;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.discover.NetfilterHook;
import dev.layertrace.discover.PathRequest;
import dev.layertrace.discover.PathResolver;
import dev.layertrace.model.Capture;
import dev.layertrace.model.HostFacts;
import dev.layertrace.model.KernelEvent;
import dev.layertrace.model.Observation;
import dev.layertrace.model.PathGraph;
import dev.layertrace.probe.ProbeId;
import dev.layertrace.probe.ProbeSpec;
import dev.layertrace.probe.TraceListener;
import dev.layertrace.probe.TraceSession;
import dev.layertrace.sys.LiveHost;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * A real live trace for the browser test: discovery and {@link TraceSession} from tracer-core, with
 * its listener feeding the page. (The product's tracer lives in tracer-cli, which web-ui cannot
 * depend on; this one takes {@code netns:NAME} sources only.)
 */
final class LabSessionTracer implements LiveTracer {

  @Override
  public String unavailableReason() {
    return null;
  }

  @Override
  public Capture trace(LiveRequest request, Events events) {
    String netns = request.source().substring(request.source().indexOf(':') + 1);
    int port = request.port() == null ? 0 : request.port();
    DiscoveredPath path;
    try (LiveHost live = LiveHost.scan()) {
      path = new PathResolver(new DecodingHostView(live), NetfilterHook.NONE)
          .resolve(new PathRequest(netns, request.source(), request.destination(), request.protocol(), port));
    }
    ProbeSpec probe;
    try {
      probe = new ProbeSpec(request.protocol(), null, (Inet4Address) InetAddress.getByName(request.destination()), port,
          0, false, 64);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
    List<ProbeId> ids = ProbeId.allocate(1, new Random());
    TraceSession.Result r;
    try (TraceSession s = TraceSession.open(new TraceSession.Request(path.graph(), path.findings(), List.of(), probe, 1,
        "layertrace-" + ProcessHandle.current().pid() + "-web"), ids)) {
      r = s.run(ids, 0, new TraceListener() {
        @Override
        public void onPath(PathGraph graph) {
          events.path(graph);
        }

        @Override
        public void onObservation(Observation observation) {
          events.observation(observation);
        }

        @Override
        public void onKernelEvent(KernelEvent event) {
          events.kernelEvent(event);
        }
      });
    }
    return new Capture(Capture.SCHEMA_VERSION, Version.TOOL, Instant.now().toString(),
        new HostFacts(null, null, null, "browser test live trace"), path.graph(), r.probes(), r.observations(),
        r.kernelEvents(), path.findings(), r.verdicts(), r.notes());
  }
}
