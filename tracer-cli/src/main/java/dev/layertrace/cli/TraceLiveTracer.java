package dev.layertrace.cli;

import dev.layertrace.LayertraceException;
import dev.layertrace.model.Capture;
import dev.layertrace.model.HostFacts;
import dev.layertrace.model.KernelEvent;
import dev.layertrace.model.Observation;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Protocol;
import dev.layertrace.probe.ProbeSpec;
import dev.layertrace.probe.TraceListener;
import dev.layertrace.web.LiveRequest;
import dev.layertrace.web.LiveTracer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The web view's live trace: what {@code layertrace trace --from SOURCE --to DESTINATION[:PORT]
 * --proto P} does (one probe, default size and TTL), with the path and each observation passed to the
 * page as they happen. {@code layertrace serve} uses it with {@code --allow-live} as root.
 */
final class TraceLiveTracer implements LiveTracer {

  @Override
  public String unavailableReason() {
    return null;
  }

  @Override
  public Capture trace(LiveRequest request, Events events) {
    ProbeSpec probe;
    try {
      int port = request.protocol() == Protocol.ICMP ? 0 : request.port();
      probe = new ProbeSpec(request.protocol(), null, ipv4(request.destination()), port, 0, false, 64);
    } catch (IllegalArgumentException e) {
      throw LayertraceException.usage(e.getMessage());
    }
    String command = "layertrace trace --from " + request.source() + " --to " + request.destination()
        + (request.port() == null ? "" : ":" + request.port()) + " --proto " + request.protocol().word()
        + " (live, from the web view)";
    HostFacts host = TraceCommand.hostFacts(command);
    // traceLive resolves netns:, pid:, ip: and container: sources as --from does.
    return TraceCommand.traceLive(request.source(), null, probe, 1, host, new TraceListener() {
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

  private static Inet4Address ipv4(String address) {
    try {
      if (InetAddress.getByName(address) instanceof Inet4Address a) {
        return a;
      }
    } catch (UnknownHostException e) {
      // falls through to the usage error
    }
    throw LayertraceException.usage("destination must be an IPv4 address, not '" + address + "'");
  }
}
