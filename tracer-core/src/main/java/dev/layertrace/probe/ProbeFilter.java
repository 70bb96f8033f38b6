package dev.layertrace.probe;

import static dev.layertrace.probe.BpfAssembler.B;
import static dev.layertrace.probe.BpfAssembler.H;
import static dev.layertrace.probe.BpfAssembler.W;

import dev.layertrace.model.Protocol;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Generates the classic BPF program an observer attaches to its AF_PACKET socket, so that only this
 * trace's packets reach user space: IPv4 packets that carry one of its probe ids (request, reply, or
 * an ICMP error quoting a probe) and ARP messages about the path's addresses. Everything else (an
 * iperf flood, other traces' probes) stays in the kernel. Offsets are for Ethernet frames.
 */
public final class ProbeFilter {
  /** Bytes of an accepted frame to copy: the whole frame (probes are small; ICMP errors quote up to 576). */
  static final int ACCEPT = 0xFFFF;

  private ProbeFilter() {}

  /**
   * The filter for probes {@code ids} of {@code protocol} and ARP that names any of {@code arpAddresses}
   * as sender or target (none: no ARP).
   */
  public static BpfProgram program(Protocol protocol, List<ProbeId> ids, List<Inet4Address> arpAddresses) {
    if (ids.isEmpty() || ids.size() > 16) {
      throw new IllegalArgumentException("a filter covers 1..16 probe ids, not " + ids.size());
    }
    if (arpAddresses.size() > 16) {
      throw new IllegalArgumentException("a filter covers at most 16 ARP addresses");
    }
    BpfAssembler a = new BpfAssembler();
    a.loadAbs(H, 12).jeq(0x0806, "arp", null).jeq(0x0800, null, "drop");
    // Non-first fragments carry no transport header: nothing to match.
    a.loadAbs(H, 20).jset(0x1FFF, "drop", null);
    a.loadIpHeaderLength(14).loadAbs(B, 23);
    switch (protocol) {
      case ICMP -> a.jeq(1, "icmp", "drop");
      case UDP -> a.jeq(17, "udp", null).jeq(1, "icmp", "drop");
      case TCP -> a.jeq(6, "tcp", null).jeq(1, "icmp", "drop");
    }
    // ICMP: echo request/reply whose payload opens with a marker; errors quoting a probe.
    a.label("icmp").loadInd(B, 14).jeq(0, "echo", null).jeq(8, "echo", null).jeq(3, "error", null)
        .jeq(11, "error", "drop");
    a.label("echo").loadInd(W, 22);
    markers(a, ids, 0);
    // The quoted header starts at X+22 (14 + IP header + 8) and is assumed to be 20 bytes long (the
    // probes carry no options), so the quoted transport starts at X+42.
    a.label("error");
    switch (protocol) {
      case ICMP -> {
        a.loadInd(H, 46); // quoted echo identifier
        for (ProbeId id : ids) {
          a.jeq(id.value(), "accept", null);
        }
        a.ret(0);
      }
      case UDP -> {
        a.loadInd(W, 50); // quoted UDP payload (Linux quotes well beyond 8 bytes)
        markers(a, ids, 0);
      }
      case TCP -> {
        a.loadInd(W, 46); // quoted sequence number
        markers(a, ids, 0);
      }
    }
    if (protocol == Protocol.UDP) {
      a.label("udp").loadInd(W, 22);
      markers(a, ids, 0);
    }
    if (protocol == Protocol.TCP) {
      // A SYN carries the marker as its sequence number; a SYN-ACK or RST acknowledges marker + 1.
      a.label("tcp").loadInd(W, 18);
      for (ProbeId id : ids) {
        a.jeq((int) id.markerWord(), "accept", null);
      }
      a.loadInd(W, 22);
      markers(a, ids, 1);
    }
    a.label("arp");
    for (Inet4Address addr : arpAddresses) {
      int k = ByteBuffer.wrap(addr.getAddress()).getInt();
      a.loadAbs(W, 28).jeq(k, "accept", null).loadAbs(W, 38).jeq(k, "accept", null);
    }
    a.label("drop").ret(0);
    a.label("accept").ret(ACCEPT);
    return a.assemble();
  }

  private static void markers(BpfAssembler a, List<ProbeId> ids, int plus) {
    for (ProbeId id : ids) {
      a.jeq((int) (id.markerWord() + plus), "accept", null);
    }
    a.ret(0);
  }
}
