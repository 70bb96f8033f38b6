package dev.layertrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.model.Capture;
import dev.layertrace.model.Observation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Against captures recorded on the lab (captures/README.md says how). */
class ProbeCoverageTest {

  @Test
  void aHealthyProbeIsSeenAtAllSevenDeviceLayers() {
    Capture c = CaptureCodec.read(Path.of("../captures/healthy.json"));
    ProbeCoverage.Count n = ProbeCoverage.count(c.graph(), c.probes(), c.observations());
    assertThat(n).isEqualTo(new ProbeCoverage.Count(1, 1, 7));
  }

  @Test
  void aProbeMissingAtOneLayerDoesNotCount() {
    Capture c = CaptureCodec.read(Path.of("../captures/healthy.json"));
    String uplink = c.graph().nodes().stream().filter(l -> l.kind() == dev.layertrace.model.LayerKind.UPLINK)
        .findFirst().orElseThrow().id();
    List<Observation> without = c.observations().stream().filter(o -> !o.layerId().equals(uplink)).toList();
    assertThat(ProbeCoverage.count(c.graph(), c.probes(), without).seenEverywhere()).isZero();
  }

  @Test
  void aStoppedProbeIsNotSeenEverywhere() {
    Capture c = CaptureCodec.read(Path.of("../captures/guest-forward-drop.json"));
    ProbeCoverage.Count n = ProbeCoverage.count(c.graph(), c.probes(), c.observations());
    assertThat(n.probes()).isEqualTo(c.probes().size());
    assertThat(n.seenEverywhere()).isZero();
  }
}
