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
 *
 * <p>Consecutive ids (what {@link ProbeId#allocate} gives) are matched as one range, two comparisons
 * however many ids: so one filter serves every round of {@code trace --repeat}. Other id sets are
 * matched one by one, at most 16 of them.
 */
public final class ProbeFilter {
  /** Bytes of an accepted frame to copy: the whole frame (probes are small; ICMP errors quote up to 576). */
  static final int ACCEPT = 0xFFFF;
  /** The most ids matched one by one (each costs an instruction on every frame the filter sees). */
  static final int MAX_LISTED_IDS = 16;

  private ProbeFilter() {}

  /**
   * The filter for probes {@code ids} of {@code protocol} and ARP that names any of {@code arpAddresses}
   * as sender or target (none: no ARP).
   */
  public static BpfProgram program(Protocol protocol, List<ProbeId> ids, List<Inet4Address> arpAddresses) {
    Ids match = Ids.of(ids);
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
    match.markers(a, 0, "drop");
    // The quoted header starts at X+22 (14 + IP header + 8) and is assumed to be 20 bytes long (the
    // probes carry no options), so the quoted transport starts at X+42.
    a.label("error");
    switch (protocol) {
      case ICMP -> {
        a.loadInd(H, 46); // quoted echo identifier
        match.values(a, "drop");
      }
      case UDP -> {
        a.loadInd(W, 50); // quoted UDP payload (Linux quotes well beyond 8 bytes)
        match.markers(a, 0, "drop");
      }
      case TCP -> {
        a.loadInd(W, 46); // quoted sequence number
        match.markers(a, 0, "drop");
      }
    }
    if (protocol == Protocol.UDP) {
      a.label("udp").loadInd(W, 22);
      match.markers(a, 0, "drop");
    }
    if (protocol == Protocol.TCP) {
      // A SYN carries the marker as its sequence number; a SYN-ACK or RST acknowledges marker + 1.
      a.label("tcp").loadInd(W, 18);
      match.markers(a, 0, "ack");
      a.label("ack").loadInd(W, 22);
      match.markers(a, 1, "drop");
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

  /** The ids a filter matches: a run of consecutive values (two comparisons) or a short list. */
  private record Ids(List<ProbeId> listed, int low, int high) {
    static Ids of(List<ProbeId> ids) {
      if (ids.isEmpty()) {
        throw new IllegalArgumentException("a filter needs at least one probe id");
      }
      int low = ids.stream().mapToInt(ProbeId::value).min().orElseThrow();
      int high = ids.stream().mapToInt(ProbeId::value).max().orElseThrow();
      long distinct = ids.stream().mapToInt(ProbeId::value).distinct().count();
      if (distinct == high - low + 1) {
        return new Ids(null, low, high);
      }
      if (ids.size() > MAX_LISTED_IDS) {
        throw new IllegalArgumentException("a filter covers consecutive probe ids, or at most " + MAX_LISTED_IDS
            + " others, not " + ids.size());
      }
      return new Ids(List.copyOf(ids), 0, 0);
    }

    /** Accepts when A is one of the ids' marker words (+ {@code plus}); else jumps to {@code miss}. */
    void markers(BpfAssembler a, int plus, String miss) {
      compare(a, miss, id -> (int) (id.markerWord() + plus),
          (int) (((long) ProbeId.MAGIC << 16 | low) + plus), (int) (((long) ProbeId.MAGIC << 16 | high) + plus));
    }

    /** Accepts when A is one of the ids' values; else jumps to {@code miss}. */
    void values(BpfAssembler a, String miss) {
      compare(a, miss, ProbeId::value, low, high);
    }

    private void compare(BpfAssembler a, String miss, java.util.function.ToIntFunction<ProbeId> word,
        int from, int to) {
      if (listed == null) {
        // Unsigned comparisons: marker words (0x4C54xxxx) and ids stay below 2^31 anyway.
        a.jge(from, null, miss).jgt(to, miss, "accept");
        return;
      }
      for (int i = 0; i < listed.size(); i++) {
        boolean last = i == listed.size() - 1;
        a.jeq(word.applyAsInt(listed.get(i)), "accept", last ? miss : null);
      }
    }
  }
}
