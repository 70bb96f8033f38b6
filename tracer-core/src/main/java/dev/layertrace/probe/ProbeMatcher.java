package dev.layertrace.probe;

import dev.layertrace.model.Direction;
import dev.layertrace.packet.EthernetFrame;
import dev.layertrace.packet.IcmpMessage;
import dev.layertrace.packet.Ipv4Packet;
import dev.layertrace.packet.PacketParseException;
import dev.layertrace.packet.TcpSegment;
import dev.layertrace.packet.UdpDatagram;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, in user space and exactly, what the BPF filter let through: which probe of this trace a
 * frame belongs to and whether it is the request or a reply. The filter is a coarse first cut; this
 * re-checks every field, so a frame counts for at most one probe.
 */
public final class ProbeMatcher {
  private final Map<Integer, ProbeId> byValue = new HashMap<>();
  private final Map<Long, ProbeId> byMarker = new HashMap<>();

  public ProbeMatcher(List<ProbeId> ids) {
    for (ProbeId id : ids) {
      byValue.put(id.value(), id);
      byMarker.put(id.markerWord(), id);
    }
  }

  /** Classifies raw frame bytes; empty for anything that is not this trace's (including malformed bytes). */
  public Optional<Sighting> classify(byte[] buf, int length) {
    EthernetFrame f;
    try {
      f = EthernetFrame.parse(buf, length);
    } catch (PacketParseException e) {
      return Optional.empty();
    }
    return classify(f);
  }

  public Optional<Sighting> classify(EthernetFrame f) {
    if (f.arpPacket() != null) {
      return Optional.of(new Sighting(null, null, null, f));
    }
    Ipv4Packet ip = f.ipv4Packet();
    if (ip == null) {
      return Optional.empty();
    }
    if (ip.transport() instanceof IcmpMessage m) {
      if (m.isEcho()) {
        return marker(m.body()).map(id -> new Sighting(id,
            m.type() == IcmpMessage.ECHO_REQUEST ? Direction.REQUEST : Direction.REPLY, null, f));
      }
      if (m.isError()) {
        return quotedProbe(m).map(id -> new Sighting(id, Direction.REPLY, m.type() + "/" + m.code(), f));
      }
      return Optional.empty();
    }
    if (ip.transport() instanceof UdpDatagram u) {
      return marker(u.data()).map(id -> new Sighting(id, Direction.REQUEST, null, f));
    }
    if (ip.transport() instanceof TcpSegment t) {
      if (t.has(TcpSegment.SYN) && !t.has(TcpSegment.ACK)) {
        return Optional.ofNullable(byMarker.get(t.seq())).map(id -> new Sighting(id, Direction.REQUEST, null, f));
      }
      if (t.has(TcpSegment.ACK)) {
        return Optional.ofNullable(byMarker.get((t.ack() - 1) & 0xFFFFFFFFL))
            .map(id -> new Sighting(id, Direction.REPLY, null, f));
      }
    }
    return Optional.empty();
  }

  private Optional<ProbeId> quotedProbe(IcmpMessage m) {
    Ipv4Packet q;
    try {
      q = m.quoted().orElseThrow();
    } catch (PacketParseException e) {
      return Optional.empty();
    }
    if (q.transport() instanceof IcmpMessage inner && inner.type() == IcmpMessage.ECHO_REQUEST) {
      return Optional.ofNullable(byValue.get(inner.id()));
    }
    if (q.transport() instanceof UdpDatagram inner) {
      return marker(inner.data());
    }
    if (q.transport() instanceof TcpSegment inner) {
      return Optional.ofNullable(byMarker.get(inner.seq()));
    }
    return Optional.empty();
  }

  private Optional<ProbeId> marker(byte[] payload) {
    if (payload.length < 4 || payload[0] != 'L' || payload[1] != 'T') {
      return Optional.empty();
    }
    int v = ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF);
    return Optional.ofNullable(byValue.get(v));
  }

  @Override
  public String toString() {
    return "ProbeMatcher" + Arrays.toString(byValue.keySet().toArray());
  }
}
