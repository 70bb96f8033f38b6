package dev.layertrace.cli;

import dev.layertrace.lab.DockerLabFault;
import dev.layertrace.sys.DockerLab;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The real-Docker part of {@code layertrace lab}: {@code lab up --docker}, its removal on
 * {@code lab down}, and the {@code docker-*} faults of {@code lab break}/{@code lab heal}. Kept out of
 * {@link LabCommand}, which only calls in.
 */
final class DockerLabCli {
  private DockerLabCli() {}

  /** Starts dockerd in lt-guest with its container and prints what came up. */
  static void up(PrintWriter out) {
    DockerLab lab = DockerLab.standard();
    DockerLab.Up r = lab.up();
    var c = r.container();
    if (r.alreadyUp()) {
      out.printf(Locale.ROOT, "lab --docker: already up (dockerd pid %d); container %s pid %d%n", r.daemonPid(),
          c.describe(), c.pid());
    } else {
      out.printf(Locale.ROOT, "lab --docker: dockerd pid %d in %s (%d ms), image %d ms, container %d ms; %s%n",
          r.daemonPid(), lab.plan().netns(), r.daemonStart().toMillis(), r.imageImport().toMillis(),
          r.containerStart().toMillis(), r.reachability().describe());
    }
    out.printf(Locale.ROOT, "container %s pid %d ip %s netns %s%n", c.describe(), c.pid(), c.ipAddress(),
        c.netnsPath().map(Object::toString).orElse("?"));
    out.println("docker host " + lab.plan().dockerHost() + "  (export DOCKER_HOST=" + lab.plan().dockerHost() + ")");
  }

  /** Stops the lab's dockerd and removes what it made; prints nothing when there was none. */
  static void down() {
    DockerLab.standard().down();
  }

  /** Breaks {@code name} if it is a Docker fault; false when it is not one. */
  static boolean breakFault(String name, PrintWriter out) {
    var f = DockerLabFault.of(name);
    if (f.isEmpty()) {
      return false;
    }
    DockerLab lab = DockerLab.standard();
    lab.breakFault(f.get());
    out.println("lab: broke " + f.get().word() + " — " + f.get().change() + "; expected verdict (from container "
        + "lt-web): " + f.get().expectedVerdict(lab.plan()).describe());
    return true;
  }

  /** Heals {@code name} if it is a Docker fault; false when it is not one. */
  static boolean heal(String name, PrintWriter out) {
    var f = DockerLabFault.of(name);
    if (f.isEmpty()) {
      return false;
    }
    DockerLab.standard().heal(f.get());
    out.println("lab: healed " + f.get().word());
    return true;
  }
}
