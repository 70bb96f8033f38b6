package dev.layertrace.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.model.Capture;
import dev.layertrace.model.Observation;
import dev.layertrace.probe.RemoteHalf;
import dev.layertrace.verdict.ArpSighting;
import dev.layertrace.verdict.DropEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every message survives a trip through one line of JSON; bad lines are typed protocol errors. */
class AgentMessagesTest {
  /** A real capture of the lab (recorded by captures/record.sh) supplies the observations and graph. */
  static final Capture RECORDED = CaptureCodec.read(Path.of("../captures/host-forward-drop.json"));

  static <T> T trip(String op, T value, Class<T> type) {
    String line = AgentMessages.encode(op, value);
    assertThat(line).doesNotContain("\n");
    AgentMessages.Message m = AgentMessages.decode(line);
    assertThat(m.op()).isEqualTo(op);
    return m.as(type);
  }

  @Test
  void observationsArpAndTheGraphRoundTrip() {
    for (Observation o : RECORDED.observations()) {
      assertThat(trip("obs", new AgentMessages.Obs(o), AgentMessages.Obs.class).observation()).isEqualTo(o);
    }
    ArpSighting a = new ArpSighting("lt-host/tap0", true, "172.16.0.2", "172.16.0.1", false, 1234);
    assertThat(trip("arp", new AgentMessages.Arp(a), AgentMessages.Arp.class).arp()).isEqualTo(a);
    AgentMessages.Ready r = new AgentMessages.Ready(RECORDED.graph(), RECORDED.findings(), List.of("n"),
        new dev.layertrace.discover.Handoff("lt-guest", "eth0", List.of("172.16.0.2/30"), "06:00:ac:10:00:02",
            "172.17.0.2", "172.17.0.2", null, 1500));
    assertThat(trip("ready", r, AgentMessages.Ready.class)).isEqualTo(r);
  }

  @Test
  void theFinishWithItsDropsRoundTrips() {
    DropEvent d = new DropEvent("lt-host/tap0", "lt-host", "tap0", "nft_do_chain", "NETFILTER_DROP",
        DropEvent.Subject.PROBE, dev.layertrace.model.Direction.REQUEST, 52_000);
    RemoteHalf.Finish f = new RemoteHalf.Finish(Map.of("3f9c", List.of(d)), Map.of("lt-host", List.of("icmp …")),
        Map.of("lt-host", "rule lt-host: …"), true, List.of(),
        Map.of("3f9c", dev.layertrace.verdict.SendResult.failed("ENETUNREACH", "Network is unreachable")));
    assertThat(trip("finish", f, RemoteHalf.Finish.class)).isEqualTo(f);
  }

  @Test
  void aLineThatIsNotTheProtocolIsAProtocolError() {
    assertThatThrownBy(() -> AgentMessages.decode("{not json")).isInstanceOf(AgentMessages.ProtocolError.class)
        .hasMessageStartingWith("not JSON");
    assertThatThrownBy(() -> AgentMessages.decode("[1,2]")).isInstanceOf(AgentMessages.ProtocolError.class)
        .hasMessage("a message is a JSON object with an \"op\"");
    assertThatThrownBy(() -> AgentMessages.decode("{\"op\":\"hello\",\"version\":\"x\"}").as(AgentMessages.Hello.class))
        .isInstanceOf(AgentMessages.ProtocolError.class).hasMessageStartingWith("malformed hello message");
  }
}
