package dev.layertrace.probe;

import dev.layertrace.model.Direction;
import dev.layertrace.model.SeenPacket;
import dev.layertrace.packet.ArpPacket;
import dev.layertrace.packet.EthernetFrame;
import java.util.Optional;

/**
 * What one frame seen by an observer means for a trace: a probe request, a reply to it (an echo
 * reply, a SYN-ACK or RST, or an ICMP error quoting the probe), or an ARP message.
 *
 * @param probe the probe it belongs to; null for ARP
 * @param direction REQUEST or REPLY; null for ARP
 * @param icmpError for an ICMP error reply: its type and code as {@code "3/4"}; otherwise null
 */
public record Sighting(ProbeId probe, Direction direction, String icmpError, EthernetFrame frame) {

  public boolean isArp() {
    return frame.arpPacket() != null;
  }

  public Optional<ArpPacket> arp() {
    return frame.arp();
  }

  /** The headers as the model records them: addresses and ports after NAT so far, TTL, length, MACs. */
  public SeenPacket seenPacket() {
    if (frame.arpPacket() != null) {
      ArpPacket a = frame.arpPacket();
      return new SeenPacket("arp", a.senderIp().getHostAddress(), a.targetIp().getHostAddress(), null, null, null,
          frame.length(), frame.srcMac(), frame.dstMac(), null, null, null);
    }
    var ip = frame.ipv4Packet();
    Integer sp = null;
    Integer dp = null;
    Integer type = null;
    Integer id = null;
    Integer seq = null;
    String proto;
    if (ip.transport() instanceof dev.layertrace.packet.UdpDatagram u) {
      proto = "udp";
      sp = u.srcPort();
      dp = u.dstPort();
    } else if (ip.transport() instanceof dev.layertrace.packet.TcpSegment t) {
      proto = "tcp";
      sp = t.srcPort();
      dp = t.dstPort();
    } else if (ip.transport() instanceof dev.layertrace.packet.IcmpMessage m) {
      proto = "icmp";
      type = m.type();
      id = m.id();
      seq = m.seq();
    } else {
      proto = "ip" + ip.protocol();
    }
    return new SeenPacket(proto, ip.src().getHostAddress(), ip.dst().getHostAddress(), sp, dp, ip.ttl(),
        ip.totalLength(), frame.srcMac(), frame.dstMac(), type, id, seq);
  }
}
