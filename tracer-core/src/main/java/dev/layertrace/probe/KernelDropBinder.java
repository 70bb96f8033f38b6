package dev.layertrace.probe;

import dev.layertrace.model.Direction;
import dev.layertrace.model.KernelEvent;
import dev.layertrace.model.Layer;
import dev.layertrace.model.Observation;
import dev.layertrace.verdict.ArpSighting;
import dev.layertrace.verdict.DropEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds {@code skb:kfree_skb} events to a probe. tracefs events carry no namespace and no packet
 * contents, only a (hashed, but consistent) skb address; so a freed skb is followed back to the last
 * {@code net_dev_queue} / {@code netif_receive_skb} event with the same address, and that event must
 * coincide (same device name, within a few milliseconds) with an observer's sighting of this probe
 * or of ARP on the path. The sighting gives the layer, its namespace and the direction; a drop that
 * matches no sighting is another packet's (another trace's, another flow's) and is left out.
 */
public final class KernelDropBinder {
  /**
   * A sighting carries the kernel's stamp of the frame, taken next to the binding event; allow for the
   * stamp of a bridged frame (taken on the port, before the bridge's receive event) and for clock
   * conversion jitter on one side, and for a reader that fell back to its read time on the other.
   */
  static final long LAG_NS = 20_000_000L;
  static final long LEAD_NS = 5_000_000L;

  /**
   * How far before the injection a trace's window of kernel events starts. tracefs (clock "mono") and
   * {@code System.nanoTime()} read the same clock, and the events print in microseconds, so a few
   * microseconds would do. Not more: a drop of another packet of the same length on the same device
   * just before the injection (another session's probe, another round's) would otherwise bind to this
   * probe's sighting there, whenever its later binding events are missing from the buffer.
   */
  static final long BEFORE_INJECTION_NS = 50_000L;

  /** The start of the window of kernel events that can be a probe's: {@code injectedAtNs} less the slack. */
  public static long windowStart(long injectedAtNs) {
    return injectedAtNs - BEFORE_INJECTION_NS;
  }

  private final Map<String, Layer> layers = new HashMap<>();

  /** @param pathLayers the layers observers were attached to (by id) */
  public KernelDropBinder(List<Layer> pathLayers) {
    pathLayers.forEach(l -> layers.put(l.id(), l));
  }

  /** A sighting with an absolute monotonic time, for binding. */
  public record Timed(String layerId, long atNs, boolean arp, Direction direction) {}

  /**
   * The drop events of {@code records} between {@code fromNs} and {@code toNs} (monotonic), bound to
   * this trace's sightings; times in the result are relative to {@code zeroNs} (the injection).
   */
  public List<DropEvent> bind(List<TraceRecord> records, List<Timed> sightings, long fromNs, long toNs, long zeroNs) {
    Map<String, TraceRecord> lastSeen = new HashMap<>();
    List<DropEvent> out = new ArrayList<>();
    for (TraceRecord r : records) {
      if (r.timeNs() < fromNs || r.timeNs() > toNs) {
        continue;
      }
      String skb = r.field("skbaddr");
      if (skb == null) {
        continue;
      }
      switch (r.event()) {
        case "net_dev_queue", "netif_receive_skb" -> lastSeen.put(skb, r);
        case "kfree_skb" -> {
          TraceRecord via = lastSeen.get(skb);
          if (via == null) {
            continue;
          }
          boolean arp = "2054".equals(r.field("protocol"));
          Optional<Timed> s = match(via, arp, sightings);
          if (s.isEmpty()) {
            continue;
          }
          Layer l = layers.get(s.get().layerId());
          out.add(new DropEvent(s.get().layerId(), l == null ? null : l.netns(), via.field("dev"), r.field("location"), r.field("reason"),
              arp ? DropEvent.Subject.ARP : DropEvent.Subject.PROBE, arp ? null : s.get().direction(),
              r.timeNs() - zeroNs));
        }
        default -> { }
      }
    }
    return out;
  }

  /** The sighting of the same kind on a layer whose device is the binding event's, closest in time. */
  private Optional<Timed> match(TraceRecord via, boolean arp, List<Timed> sightings) {
    String dev = via.field("dev");
    Timed best = null;
    for (Timed s : sightings) {
      Layer l = layers.get(s.layerId());
      if (l == null || s.arp() != arp || !dev.equals(l.iface())) {
        continue;
      }
      long d = s.atNs() - via.timeNs();
      if (d < -LEAD_NS || d > LAG_NS) {
        continue;
      }
      if (best == null || Math.abs(d) < Math.abs(best.atNs() - via.timeNs())) {
        best = s;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The sightings of one probe and the trace's ARP, in the form {@link #bind} takes. */
  public static List<Timed> timed(List<Observation> observations, List<ArpSighting> arp, long zeroNs) {
    List<Timed> t = new ArrayList<>();
    observations.forEach(o -> t.add(new Timed(o.layerId(), zeroNs + o.timeNs(), false, o.direction())));
    arp.forEach(a -> t.add(new Timed(a.layerId(), zeroNs + a.timeNs(), true, null)));
    return t;
  }

  /** The model record of a bound drop, for the capture. */
  public static KernelEvent toModel(String probeId, DropEvent d) {
    return new KernelEvent(probeId, d.layerId(), d.netns(), "kfree_skb", d.location(), d.reason(), d.timeNs());
  }
}
