package dev.layertrace.netfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.netfilter.NetfilterFixtureRecorder.Scenario;
import dev.layertrace.sys.NetfilterReader;
import dev.layertrace.sys.Netns;
import dev.layertrace.sys.NetnsExecutor;
import dev.layertrace.testing.RootOnly;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reads live scratch namespaces through the sys reader and compares them with the recorded fixtures. */
@RootOnly
class NetfilterReaderRootTest {

  @ParameterizedTest
  @EnumSource(value = Scenario.class, names = {"GUEST_HEALTHY", "GUEST_SPLIT_BRAIN", "GUEST_LEGACY_SPLIT_BRAIN",
      "GUEST_DOCKER_LIKE", "HOST_HEALTHY", "HOST_FORWARD_DROP"})
  void aLiveNamespaceReadsAsTheSameModelAsItsFixture(Scenario s) {
    Netns ns = NetfilterFixtureRecorder.build(s);
    try {
      NetfilterModel live = NetfilterReader.read(ns);
      NetfilterModel recorded = NetfilterFixtureRecorder.load(s).parse();

      assertThat(live).isEqualTo(recorded);
      // The reader parses as the tools finish; the model is the raw dump's.
      assertThat(live).isEqualTo(NetfilterReader.dump(ns).parse());
      Flow probe = s.name().startsWith("HOST") ? NetfilterEvaluatorTest.HOST_PROBE : NetfilterEvaluatorTest.GUEST_PROBE;
      Map<String, java.util.List<String>> addresses = s.name().startsWith("HOST")
          ? NetfilterEvaluatorTest.HOST_ADDRESSES : NetfilterEvaluatorTest.GUEST_ADDRESSES;
      assertThat(NetfilterEvaluator.evaluate(live, probe, addresses))
          .isEqualTo(NetfilterEvaluator.evaluate(recorded, probe, addresses));
    } finally {
      NetfilterFixtureRecorder.delete(s);
    }
  }

  @Test
  void dumpHereReadsTheNamespaceOfTheCallingExecutorThread() {
    Netns ns = NetfilterFixtureRecorder.build(Scenario.GUEST_LEGACY_SPLIT_BRAIN);
    try (NetnsExecutor inside = NetnsExecutor.enter(ns)) {
      NetfilterModel model = inside.call(NetfilterReader::dumpHere).parse();

      assertThat(model.bothBackendsInUse()).isTrue();
      assertThat(model.tablesInUse()).extracting(Table::label)
          .containsExactly("inet filter (nftables)", "ip filter (iptables-legacy)", "ip nat (iptables-legacy)");
    } finally {
      NetfilterFixtureRecorder.delete(Scenario.GUEST_LEGACY_SPLIT_BRAIN);
    }
  }

  @Test
  void anUnknownNamespaceIsAUsageError() {
    assertThatThrownBy(() -> NetfilterReader.read(Netns.named("lt-tnf-does-not-exist")))
        .isInstanceOfSatisfying(LayertraceException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
  }
}
