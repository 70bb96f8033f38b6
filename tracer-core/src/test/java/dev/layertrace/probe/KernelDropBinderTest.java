package dev.layertrace.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.model.Direction;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.verdict.DropEvent;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Binds drop events recorded from a real kernel ({@code probe/record-tracefs.sh}: one ICMP echo
 * through a router with ip_forward=0, and with a forward chain that drops). The recorded files also
 * hold other namespaces' fib lookups from the same moment: noise the binder must leave out.
 */
class KernelDropBinderTest {
  static final List<Layer> LAYERS = List.of(
      Layer.of("lt-ttr-c/eth0", LayerKind.CONTAINER, "lt-ttr-c", "eth0"),
      Layer.of("lt-ttr-r/c0", LayerKind.VETH, "lt-ttr-r", "c0"),
      Layer.of("lt-ttr-r/u0", LayerKind.NIC, "lt-ttr-r", "u0"),
      Layer.of("lt-ttr-i/eth0", LayerKind.REMOTE, "lt-ttr-i", "eth0"));

  static List<TraceRecord> records(String name) throws Exception {
    try (InputStream in = KernelDropBinderTest.class.getResourceAsStream("/probe/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .flatMap(l -> TraceRecord.parse(l).stream()).toList();
    }
  }

  static long timeOf(List<TraceRecord> rs, String event, String dev) {
    return rs.stream().filter(r -> r.event().equals(event) && dev.equals(r.field("dev"))).findFirst().orElseThrow()
        .timeNs();
  }

  @Test
  void parsesTheKernelsLines() throws Exception {
    List<TraceRecord> rs = records("forward-off.trace");
    assertThat(rs).extracting(TraceRecord::event).containsExactly("fib_table_lookup", "net_dev_queue",
        "netif_receive_skb", "fib_table_lookup", "kfree_skb");
    TraceRecord drop = rs.get(4);
    assertThat(drop.field("location")).isEqualTo("ip_error");
    assertThat(drop.field("reason")).isEqualTo("IP_INADDRERRORS");
    assertThat(drop.field("protocol")).isEqualTo("2048");
    assertThat(drop.field("skbaddr")).isEqualTo(rs.get(1).field("skbaddr"));
    assertThat(drop.timeNs()).isEqualTo(2088_210231_000L);
    assertThat(rs.get(1).intField("len", 0)).isEqualTo(98);
    assertThat(TraceRecord.parse("# tracer: nop")).isEmpty();
  }

  @Test
  void aDropIsBoundThroughTheSkbToTheDeviceWhereTheProbeWasSeen() throws Exception {
    List<TraceRecord> rs = records("forward-off.trace");
    long rx = timeOf(rs, "netif_receive_skb", "c0");
    long tx = timeOf(rs, "net_dev_queue", "eth0");
    List<KernelDropBinder.Timed> seen = List.of(
        new KernelDropBinder.Timed("lt-ttr-c/eth0", tx + 60_000, false, Direction.REQUEST),
        new KernelDropBinder.Timed("lt-ttr-r/c0", rx + 80_000, false, Direction.REQUEST));
    List<DropEvent> drops = new KernelDropBinder(LAYERS).bind(rs, seen, tx - 1_000_000, rx + 100_000_000, tx);
    assertThat(drops).singleElement().satisfies(d -> {
      assertThat(d.layerId()).isEqualTo("lt-ttr-r/c0");
      assertThat(d.netns()).isEqualTo("lt-ttr-r");
      assertThat(d.device()).isEqualTo("c0");
      assertThat(d.location()).isEqualTo("ip_error");
      assertThat(d.reason()).isEqualTo("IP_INADDRERRORS");
      assertThat(d.subject()).isEqualTo(DropEvent.Subject.PROBE);
      assertThat(d.direction()).isEqualTo(Direction.REQUEST);
      assertThat(d.cite()).isEqualTo("kernel lt-ttr-r: kfree_skb at ip_error: IP_INADDRERRORS (skb last seen on c0)");
    });
  }

  @Test
  void aDropNoObserverSawIsAnotherPacketsAndIsLeftOut() throws Exception {
    List<TraceRecord> rs = records("forward-drop.trace");
    long rx = timeOf(rs, "netif_receive_skb", "c0");
    KernelDropBinder b = new KernelDropBinder(LAYERS);
    // Seen 200 ms later: not the same packet.
    assertThat(b.bind(rs, List.of(new KernelDropBinder.Timed("lt-ttr-r/c0", rx + 200_000_000, false,
        Direction.REQUEST)), 0, Long.MAX_VALUE, 0)).isEmpty();
    // Seen at the right time but on another device.
    assertThat(b.bind(rs, List.of(new KernelDropBinder.Timed("lt-ttr-r/u0", rx, false, Direction.REQUEST)), 0,
        Long.MAX_VALUE, 0)).isEmpty();
    // Outside the trace's window.
    assertThat(b.bind(rs, List.of(new KernelDropBinder.Timed("lt-ttr-r/c0", rx, false, Direction.REQUEST)),
        rx + 1, Long.MAX_VALUE, 0)).isEmpty();
    // The right one.
    assertThat(b.bind(rs, List.of(new KernelDropBinder.Timed("lt-ttr-r/c0", rx + 30_000, false, Direction.REQUEST)),
        0, Long.MAX_VALUE, 0)).extracting(DropEvent::reason).containsExactly("NETFILTER_DROP");
  }

  @Test
  void anotherSessionsDropJustBeforeTheInjectionIsNotThisProbes() throws Exception {
    List<TraceRecord> rs = records("concurrent-session-start.trace");
    List<Layer> layers = List.of(
        Layer.of("lt-bsc-ctr/eth0", LayerKind.CONTAINER, "lt-bsc-ctr", "eth0"),
        Layer.of("lt-bsc-guest/veth-ctr", LayerKind.VETH, "lt-bsc-guest", "veth-ctr"),
        Layer.of("lt-bsc-guest/docker0", LayerKind.BRIDGE, "lt-bsc-guest", "docker0"));
    long injected = 3113_570703_385L;
    // This probe's sightings, as the session's observers stamped them.
    List<KernelDropBinder.Timed> seen = List.of(
        new KernelDropBinder.Timed("lt-bsc-ctr/eth0", 3113_570716_824L, false, Direction.REQUEST),
        new KernelDropBinder.Timed("lt-bsc-guest/veth-ctr", 3113_570718_527L, false, Direction.REQUEST),
        new KernelDropBinder.Timed("lt-bsc-guest/docker0", 3113_570718_527L, false, Direction.REQUEST));
    KernelDropBinder b = new KernelDropBinder(layers);
    long end = injected + 30_000_000L;

    assertThat(b.bind(rs, seen, KernelDropBinder.windowStart(injected), end, injected)).singleElement()
        .satisfies(d -> {
          assertThat(d.layerId()).isEqualTo("lt-bsc-guest/docker0");
          assertThat(d.netns()).isEqualTo("lt-bsc-guest");
          assertThat(d.reason()).isEqualTo("NETFILTER_DROP");
        });
    // With the window opening a millisecond early, as it did, the other packet's drop came first and was
    // placed on this probe's sighting at the container's eth0: "filtered in lt-bsc-ctr".
    assertThat(b.bind(rs, seen, injected - 1_000_000L, end, injected)).extracting(DropEvent::layerId)
        .containsExactly("lt-bsc-ctr/eth0", "lt-bsc-guest/docker0");
  }
}
