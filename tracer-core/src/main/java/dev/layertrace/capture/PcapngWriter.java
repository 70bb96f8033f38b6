package dev.layertrace.capture;

import dev.layertrace.model.Capture;
import dev.layertrace.model.Layer;
import dev.layertrace.model.Observation;
import dev.layertrace.model.SeenPacket;
import dev.layertrace.packet.EthernetFrame;
import dev.layertrace.packet.Ipv4Header;
import dev.layertrace.packet.PacketBuilder;
import dev.layertrace.packet.TcpSegment;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a capture's observations as a pcapng file that Wireshark and tcpdump open: one interface
 * (IDB) per layer that saw the probe, one enhanced packet block (EPB) per observation. A capture
 * stores headers, not bytes, so each packet is rebuilt from the observed headers (addresses,
 * ports, TTL, length, ICMP id/sequence, MACs when known) with a zero payload of the observed length.
 * When every observation carries both MACs the file uses Ethernet framing, else bare IPv4 (and ARP
 * sightings are left out): one link type for all interfaces, because libpcap (tcpdump) refuses
 * files that mix them. Pure: no I/O, deterministic for a given capture.
 */
public final class PcapngWriter {
  private static final int SHB = 0x0A0D0D0A;
  private static final int IDB = 1;
  private static final int EPB = 6;
  private static final int LINKTYPE_ETHERNET = 1;
  /**
   * LINKTYPE_IPV4, not LINKTYPE_IPV4 (101): libpcap 1.10 compares later interfaces' raw link type
   * with the first one's translated DLT, so a file with several RAW interfaces fails to open.
   */
  private static final int LINKTYPE_IPV4 = 228;
  private static final int SNAPLEN = 65535;
  private static final int IP_HEADER = 20;

  private PcapngWriter() {}

  /** The capture's observations as a pcapng file. */
  public static byte[] write(Capture capture) {
    Map<String, List<Observation>> byLayer = new LinkedHashMap<>();
    for (Observation o : capture.observations()) {
      byLayer.computeIfAbsent(o.layerId(), k -> new ArrayList<>()).add(o);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    out.writeBytes(sectionHeader(capture));
    boolean ethernet = !capture.observations().isEmpty() && capture.observations().stream()
        .allMatch(o -> o.packet().srcMac() != null && o.packet().dstMac() != null);
    Map<String, Integer> ifIndex = new LinkedHashMap<>();
    for (String layerId : byLayer.keySet()) {
      ifIndex.put(layerId, ifIndex.size());
      out.writeBytes(interfaceBlock(layerId, capture.graph().layer(layerId).orElse(null), ethernet));
    }
    long baseNs = baseTimeNs(capture.createdAt());
    for (Observation o : capture.observations()) {
      byte[] frame = frame(o.packet(), ethernet);
      if (frame == null) {
        continue;
      }
      String comment = "probe " + o.probeId() + " " + o.direction().word() + " at " + o.layerId()
          + (o.outgoing() ? " (out)" : " (in)");
      out.writeBytes(packetBlock(ifIndex.get(o.layerId()), baseNs + o.timeNs(), frame, comment, o.outgoing()));
    }
    return out.toByteArray();
  }

  private static long baseTimeNs(String createdAt) {
    if (createdAt == null) {
      return 0;
    }
    try {
      Instant t = Instant.parse(createdAt);
      return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    } catch (DateTimeException e) {
      return 0;
    }
  }

  private static byte[] sectionHeader(Capture c) {
    Block b = new Block(SHB);
    b.u32(0x1A2B3C4D).u16(1).u16(0).u64(-1L);
    b.option(4, "layertrace " + (c.toolVersion() == null ? "" : c.toolVersion()));
    if (c.host() != null && c.host().hostname() != null) {
      b.option(2, c.host().hostname());
    }
    return b.end();
  }

  private static byte[] interfaceBlock(String layerId, Layer layer, boolean ethernet) {
    Block b = new Block(IDB);
    b.u16(ethernet ? LINKTYPE_ETHERNET : LINKTYPE_IPV4).u16(0).u32(SNAPLEN);
    b.option(2, layerId);
    if (layer != null) {
      b.option(3, layer.ref().label());
    }
    b.option(9, new byte[] {9}); // if_tsresol: nanoseconds
    return b.end();
  }

  private static byte[] packetBlock(int iface, long timeNs, byte[] frame, String comment, boolean outgoing) {
    Block b = new Block(EPB);
    b.u32(iface).u32((int) (timeNs >>> 32)).u32((int) timeNs).u32(frame.length).u32(frame.length);
    b.bytes(frame).pad();
    b.option(1, comment);
    b.option(2, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(outgoing ? 2 : 1).array());
    return b.end();
  }

  /** The packet rebuilt from its headers, or null when they are not enough to build one. */
  static byte[] frame(SeenPacket p, boolean ethernet) {
    Inet4Address src = ipv4(p.src());
    Inet4Address dst = ipv4(p.dst());
    if (src == null || dst == null) {
      return null;
    }
    if ("arp".equals(p.protocol())) {
      if (!ethernet) {
        return null;
      }
      // The capture keeps who asked for whom, not the operation: shown as the request it starts with.
      byte[] arp = PacketBuilder.arp(1, p.srcMac(), src, "00:00:00:00:00:00", dst);
      return PacketBuilder.ethernet(p.dstMac(), p.srcMac(), EthernetFrame.TYPE_ARP, arp);
    }
    int ttl = p.ttl() == null || p.ttl() < 1 || p.ttl() > 255 ? 64 : p.ttl();
    Ipv4Header h = new Ipv4Header(src, dst, 0, ttl, false);
    String proto = p.protocol() == null ? "icmp" : p.protocol();
    byte[] ip;
    switch (proto) {
      case "udp" -> ip = PacketBuilder.udp(h, port(p.srcPort()), port(p.dstPort()), payload(p, 8));
      case "tcp" -> ip = PacketBuilder.tcp(h, port(p.srcPort()), port(p.dstPort()), 0, 0, TcpSegment.SYN, 64240,
          new byte[0], payload(p, 20));
      case "icmp" -> ip = PacketBuilder.icmp(h, p.icmpType() == null ? 8 : p.icmpType() & 0xFF, 0,
          p.icmpId() == null ? 0 : p.icmpId() & 0xFFFF, p.icmpSeq() == null ? 0 : p.icmpSeq() & 0xFFFF, payload(p, 8));
      default -> {
        return null;
      }
    }
    return ethernet ? PacketBuilder.ethernet(p.dstMac(), p.srcMac(), EthernetFrame.TYPE_IPV4, ip) : ip;
  }

  private static int port(Integer p) {
    return p == null ? 0 : p & 0xFFFF;
  }

  /** Zero bytes making the IP packet as long as the observer saw it (when it said how long). */
  private static byte[] payload(SeenPacket p, int transportHeader) {
    if (p.length() == null) {
      return new byte[0];
    }
    int n = p.length() - IP_HEADER - transportHeader;
    return new byte[Math.max(0, Math.min(n, SNAPLEN - IP_HEADER - transportHeader - 14))];
  }

  /** Parses a dotted quad without ever asking a resolver; null for anything else. */
  static Inet4Address ipv4(String s) {
    if (s == null) {
      return null;
    }
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
        return null;
      }
      int v = Integer.parseInt(parts[i]);
      if (v > 255) {
        return null;
      }
      b[i] = (byte) v;
    }
    try {
      return (Inet4Address) InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      return null; // cannot happen for four bytes
    }
  }

  /** A pcapng block: type, total length, body, options, total length again; little-endian. */
  private static final class Block {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final int type;
    private boolean options;

    Block(int type) {
      this.type = type;
    }

    Block u16(int v) {
      body.write(v & 0xFF);
      body.write((v >>> 8) & 0xFF);
      return this;
    }

    Block u32(int v) {
      return u16(v & 0xFFFF).u16(v >>> 16);
    }

    Block u64(long v) {
      return u32((int) v).u32((int) (v >>> 32));
    }

    Block bytes(byte[] b) {
      body.writeBytes(b);
      return this;
    }

    Block pad() {
      while (body.size() % 4 != 0) {
        body.write(0);
      }
      return this;
    }

    Block option(int code, String value) {
      return option(code, value.getBytes(StandardCharsets.UTF_8));
    }

    Block option(int code, byte[] value) {
      options = true;
      u16(code).u16(value.length).bytes(value).pad();
      return this;
    }

    byte[] end() {
      if (options) {
        u32(0); // opt_endofopt
      }
      int total = body.size() + 12;
      ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(type).putInt(total).put(body.toByteArray()).putInt(total);
      return b.array();
    }
  }
}
