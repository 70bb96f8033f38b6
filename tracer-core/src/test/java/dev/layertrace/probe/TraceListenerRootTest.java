package dev.layertrace.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.discover.DecodingHostView;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.discover.NetfilterHook;
import dev.layertrace.discover.PathRequest;
import dev.layertrace.discover.PathResolver;
import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.model.KernelEvent;
import dev.layertrace.model.Observation;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Protocol;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.LabSystem;
import dev.layertrace.sys.LiveHost;
import dev.layertrace.testing.RootOnly;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TraceSession#run(List, long, TraceListener)} on a private lab copy ({@code lt-tlive-ctr} …):
 * the listener hears the path first, then exactly the observations the result holds, in the order
 * the loop read them, then the kernel events; and a listener that throws costs nothing.
 */
@RootOnly
class TraceListenerRootTest {
  static final LabTopology T = LabTopology.copy("lt-tlive-", LabTopology.VmmLink.VETH);
  static LabSystem lab;

  @BeforeAll
  static void up() {
    lab = new LabSystem(T, new LabRuntime(Path.of("/run/layertrace/lt-tlive-lab")), List.of());
    lab.up();
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.down();
    }
  }

  /** Records every call, then throws, as a broken viewer would. */
  static final class ThrowingRecorder implements TraceListener {
    final List<Object> calls = new ArrayList<>();
    final List<Long> observedAtNs = new ArrayList<>();

    @Override
    public void onPath(PathGraph graph) {
      calls.add(graph);
      throw new IllegalStateException("viewer gone");
    }

    @Override
    public void onObservation(Observation observation) {
      calls.add(observation);
      observedAtNs.add(System.nanoTime());
      throw new IllegalStateException("viewer gone");
    }

    @Override
    public void onKernelEvent(KernelEvent event) {
      calls.add(event);
      throw new IllegalStateException("viewer gone");
    }
  }

  static TraceSession.Result trace(TraceListener listener) throws Exception {
    DiscoveredPath path;
    try (LiveHost live = LiveHost.scan()) {
      path = new PathResolver(new DecodingHostView(live), NetfilterHook.NONE)
          .resolve(new PathRequest(T.ctr(), "netns:" + T.ctr(), LabTopology.REMOTE, Protocol.ICMP, 0));
    }
    List<ProbeId> ids = ProbeId.allocate(1, new Random());
    try (TraceSession s = TraceSession.open(new TraceSession.Request(path.graph(), path.findings(), List.of(),
        new ProbeSpec(Protocol.ICMP, null, (Inet4Address) InetAddress.getByName(LabTopology.REMOTE), 0, 0, false, 64),
        1, "layertrace-" + ProcessHandle.current().pid() + "-listen"), ids)) {
      return s.run(ids, 0, listener);
    }
  }

  @Test
  void listenerHearsThePathThenEveryObservationAsItIsReadAndCannotBreakTheTrace() throws Exception {
    ThrowingRecorder rec = new ThrowingRecorder();
    long before = System.nanoTime();
    TraceSession.Result r = trace(rec);
    long after = System.nanoTime();
    assertThat(r.verdicts().get(0).outcome()).as(String.join("\n", r.verdicts().get(0).evidence()))
        .isEqualTo(Outcome.REACHED);
    assertThat(rec.calls.get(0)).isInstanceOf(PathGraph.class);
    List<Object> observations = rec.calls.stream().filter(Observation.class::isInstance).toList();
    // ARP sightings are kept apart and appended last in the result; compare as sets of the two kinds.
    assertThat(observations).containsExactlyInAnyOrderElementsOf(r.observations());
    assertThat(observations.stream().map(o -> (Observation) o).filter(o -> !"arp".equals(o.packet().protocol())))
        .containsExactlyElementsOf(r.observations().stream().filter(o -> !"arp".equals(o.packet().protocol())).toList());
    // Told during the loop, not after it: the probing loop waits at least 30 ms of quiet after the
    // last sighting before the verdict phase, so the first call is well before run() returns.
    assertThat(after - rec.observedAtNs.get(0)).isGreaterThan(20_000_000L);
    assertThat(rec.observedAtNs.get(0)).isGreaterThan(before);
  }

  @Test
  void kernelEventsOfADropAreToldAfterTheObservations() throws Exception {
    lab.breakFault(LabFault.GUEST_FORWARD_DROP);
    try {
      ThrowingRecorder rec = new ThrowingRecorder();
      TraceSession.Result r = trace(rec);
      assertThat(r.verdicts().get(0).outcome()).isEqualTo(Outcome.STOPPED);
      assertThat(r.kernelEvents()).isNotEmpty();
      List<Object> kernel = rec.calls.stream().filter(KernelEvent.class::isInstance).toList();
      assertThat(kernel).containsExactlyElementsOf(r.kernelEvents());
      int lastObservation = 0;
      for (int i = 0; i < rec.calls.size(); i++) {
        if (rec.calls.get(i) instanceof Observation) {
          lastObservation = i;
        }
      }
      assertThat(rec.calls.indexOf(kernel.get(0))).isGreaterThan(lastObservation);
    } finally {
      lab.heal(LabFault.GUEST_FORWARD_DROP);
      lab.reach(20, 200);
    }
  }
}
