package dev.layertrace.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.model.Capture;
import dev.layertrace.model.Direction;
import dev.layertrace.model.Observation;
import dev.layertrace.model.SeenPacket;
import dev.layertrace.packet.EthernetFrame;
import dev.layertrace.packet.Ipv4Packet;
import dev.layertrace.sys.Commands;
import dev.layertrace.testing.SampleCaptures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapngWriterTest {
  @TempDir
  Path tmp;

  /** Block types in order, walking the file by each block's total length. */
  static List<Integer> blockTypes(byte[] file) {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    List<Integer> types = new ArrayList<>();
    while (b.remaining() >= 12) {
      int start = b.position();
      int type = b.getInt();
      int len = b.getInt();
      assertThat(len % 4).isZero();
      assertThat(b.getInt(start + len - 4)).as("trailing length").isEqualTo(len);
      types.add(type);
      b.position(start + len);
    }
    assertThat(b.remaining()).isZero();
    return types;
  }

  @Test
  void oneInterfacePerObservedLayerAndOnePacketPerObservation() {
    Capture c = SampleCaptures.guestNoMasquerade();
    List<Integer> types = blockTypes(PcapngWriter.write(c));
    assertThat(types.get(0)).isEqualTo(0x0A0D0D0A);
    assertThat(types.stream().filter(t -> t == 1).count()).isEqualTo(7);
    assertThat(types.stream().filter(t -> t == 6).count()).isEqualTo(c.observations().size());
  }

  @Test
  void rebuiltPacketsCarryTheObservedHeaders() {
    SeenPacket p = new SeenPacket("icmp", "172.17.0.2", "198.51.100.10", null, null, 63, 84, "06:00:ac:10:00:02",
        "06:00:ac:10:00:01", 8, 0x3f9c, 1);
    EthernetFrame f = EthernetFrame.parse(PcapngWriter.frame(p, true));
    assertThat(f.srcMac()).isEqualTo("06:00:ac:10:00:02");
    Ipv4Packet ip = f.ipv4().orElseThrow();
    assertThat(ip.src().getHostAddress()).isEqualTo("172.17.0.2");
    assertThat(ip.ttl()).isEqualTo(63);
    assertThat(ip.totalLength()).isEqualTo(84);
    assertThat(ip.checksumValid()).isTrue();
    assertThat(PcapngWriter.frame(new SeenPacket("icmp", "not-an-address", "1.2.3.4", null, null, 64, 84, null, null,
        8, 1, 1), false)).isNull();
  }

  /** The file opens in libpcap (tcpdump), which shows the NAT-untranslated source at every layer. */
  @Test
  void tcpdumpReadsTheFile() throws IOException {
    Assumptions.assumeTrue(Commands.which("tcpdump").isPresent(), "SKIPPED: tcpdump not installed");
    Capture c = SampleCaptures.guestNoMasquerade();
    List<Observation> obs = new ArrayList<>(c.observations());
    // Raw IPv4 as the sample has no MACs; then with MACs everywhere, Ethernet.
    assertThat(tcpdump(c)).hasSize(7).allSatisfy(l -> assertThat(l)
        .contains("172.17.0.2 > 198.51.100.10: ICMP echo request, id 16284, seq 1, length 64"));
    for (int i = 0; i < obs.size(); i++) {
      Observation o = obs.get(i);
      SeenPacket p = o.packet();
      obs.set(i, new Observation(o.probeId(), o.layerId(), Direction.REQUEST, o.timeNs(), o.outgoing(),
          new SeenPacket(p.protocol(), p.src(), p.dst(), null, null, p.ttl(), p.length(), "02:42:ac:11:00:02",
              "02:42:00:00:00:01", p.icmpType(), p.icmpId(), p.icmpSeq())));
    }
    Capture withMacs = new Capture(c.schemaVersion(), c.toolVersion(), c.createdAt(), c.host(), c.graph(), c.probes(),
        obs, c.kernelEvents(), c.findings(), c.verdicts(), c.notes());
    List<String> lines = tcpdump(withMacs);
    assertThat(lines).hasSize(7);
    assertThat(lines.get(0)).contains("02:42:ac:11:00:02 > 02:42:00:00:00:01")
        .contains("172.17.0.2 > 198.51.100.10: ICMP echo request, id 16284, seq 1");
    assertThat(lines).allSatisfy(l -> assertThat(l).contains("172.17.0.2 > 198.51.100.10"));
    assertThat(lines.get(0)).startsWith("13:00:00.000021");
  }

  private List<String> tcpdump(Capture c) throws IOException {
    Path file = Files.createTempFile(tmp, "trace", ".pcapng");
    Files.write(file, PcapngWriter.write(c));
    Commands.Result r = Commands.run(List.of("tcpdump", "-nn", "-e", "-r", file.toString()), null, Duration.ofSeconds(10));
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    return r.stdout().lines().toList();
  }
}
