package dev.layertrace.cli;

import dev.layertrace.ExitCode;
import dev.layertrace.lab.qemu.QemuLabStatus;
import dev.layertrace.sys.QemuLab;
import java.io.PrintWriter;
import java.util.Locale;

/** The QEMU lab's part of {@code lab up --vmm qemu} and {@code lab status}: calls core, prints. */
final class QemuLabCli {
  private QemuLabCli() {}

  static void up(PrintWriter out) {
    QemuLab.UpResult r = QemuLab.standard().up();
    if (r.alreadyUp()) {
      out.println("lab: already up (QEMU pid " + r.qemuPid() + "); see layertrace lab status");
      return;
    }
    out.printf(Locale.ROOT, "lab: up in %d ms (QEMU microvm under TCG, pid %d, kernel %s, image %s in %d ms)%n",
        r.took().toMillis(), r.qemuPid(), r.image().kernelPackage(), r.image().fromCache() ? "cached" : "built",
        r.image().took().toMillis());
    out.printf(Locale.ROOT, "guest: answered %d ms after QEMU started; the container reached %s after %d ms;"
        + " guest init milestones (s of guest uptime): %s%n", r.untilGuestAnswered().toMillis(),
        dev.layertrace.lab.LabTopology.REMOTE, r.untilPathAnswered().toMillis(), r.guestMilestones());
  }

  static int status(PrintWriter out, boolean json) throws Exception {
    QemuLabStatus s = QemuLab.standard().status();
    if (json) {
      out.println(LabCommand.json().writeValueAsString(s));
    } else {
      out.print(s.text());
    }
    out.flush();
    return s.healthy() ? ExitCode.OK : ExitCode.STOPPED;
  }
}
