package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.lab.qemu.GuestControlProtocol;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.QemuImageBuilder;
import dev.layertrace.sys.QemuLab;
import dev.layertrace.testing.RootOnly;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code layertrace doctor} inside the QEMU lab's guest kernel (lt-q-* names): the JVM and layertrace
 * come over virtio-9p from this host, the guest's init provided the mounts and modules, and doctor
 * reports what it finds there. Prints how long the JVM takes to start under TCG.
 */
@RootOnly
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QemuGuestDoctorRootTest {
  private static final LabTopology TOPOLOGY = LabTopology.copy("lt-q-", LabTopology.VmmLink.RELAY);

  private QemuLab lab;

  @BeforeAll
  void up() {
    lab = new QemuLab(TOPOLOGY, new LabRuntime(Path.of("/run/layertrace/lt-q-lab")), QemuImageBuilder.CACHE,
        Path.of(System.getProperty("java.home")), QemuLab.currentClasspath());
    lab.down();
    QemuLab.UpResult r = lab.up();
    System.err.println("qemu lab up: " + r.took().toMillis() + " ms, guest milestones " + r.guestMilestones());
  }

  @AfterAll
  void down() {
    if (lab != null) {
      lab.down();
    }
  }

  @Test
  void doctorInsideTheGuestSeesWhatTheGuestsInitProvided() throws Exception {
    long t0 = System.nanoTime();
    GuestControlProtocol.Answer version = lab.guestRun("layertrace --version", Duration.ofSeconds(120));
    long versionMs = (System.nanoTime() - t0) / 1_000_000;
    t0 = System.nanoTime();
    GuestControlProtocol.Answer doctor = lab.guestRun("layertrace doctor --format json", Duration.ofSeconds(240));
    long doctorMs = (System.nanoTime() - t0) / 1_000_000;
    System.err.printf("in the TCG guest: layertrace --version %d ms, layertrace doctor %d ms (exit %d)%n", versionMs,
        doctorMs, doctor.exitCode());
    assertThat(version.ok()).as(version.output()).isTrue();
    // 0: nothing missing; 1: something missing or wrong. Anything else is a crash.
    assertThat(doctor.exitCode()).as(doctor.output()).isIn(0, 1);
    Map<String, String> status = new HashMap<>();
    Map<String, String> evidence = new HashMap<>();
    for (JsonNode c : new ObjectMapper().readTree(doctor.output().substring(doctor.output().indexOf('{')))
        .get("checks")) {
      status.put(c.get("id").asText(), c.get("status").asText());
      evidence.put(c.get("id").asText(), c.toString());
    }
    System.err.println("doctor in the guest: " + status);
    // The guest's init mounted cgroup2 and loaded the bridge and NAT modules: doctor, in that kernel, sees them.
    assertThat(status.get("mounts.cgroup")).as(evidence.get("mounts.cgroup")).isEqualTo("ok");
    assertThat(status).doesNotContainValue("error");
  }
}
