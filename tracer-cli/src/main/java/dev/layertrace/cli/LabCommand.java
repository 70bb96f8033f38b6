package dev.layertrace.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.lab.FaultTable;
import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabStatus;
import dev.layertrace.lab.LabStatusText;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.LabSystem;
import dev.layertrace.sys.QemuLab;
import dev.layertrace.sys.RelayProcess;
import dev.layertrace.sys.VmmRelay;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code layertrace lab}: the nested container → microVM → host lab and its fault catalog. */
@Command(
    name = "lab",
    mixinStandardHelpOptions = true,
    description = {
        "The lab: a container (lt-ctr) in a microVM guest (lt-guest, Docker-style bridge and rules), joined"
            + " by a VMM relay between two taps to a host (lt-host, nft masquerade) and an 'internet' (lt-inet,"
            + " 198.51.100.10). All of it lives in network namespaces; the root namespace is never touched.",
        "Needs root and the ip, nft, iptables and sysctl tools."},
    subcommands = {
        LabCommand.Up.class, LabCommand.Down.class, LabCommand.Status.class, LabCommand.Faults.class,
        LabCommand.Break.class, LabCommand.Heal.class, LabCommand.Digest.class, LabCommand.Vmm.class})
public final class LabCommand implements Runnable {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The standard lab, whose relay is this same program started again as {@code lab vmm}. */
  static LabSystem lab() {
    return LabSystem.standard(relayCommand());
  }

  /** {@code java -cp <this classpath> …VmmRelayMain lab vmm}: the relay is layertrace itself. */
  static List<String> relayCommand() {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> argv = new ArrayList<>(List.of(java,
        // A small heap and the serial collector: the relay allocates nothing per frame.
        "-Xmx64m", "-XX:+UseSerialGC", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"), VmmRelayMain.class.getName(), "lab", "vmm"));
    return argv;
  }

  static ObjectMapper json() {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  /** {@code lab up}. */
  @Command(name = "up", mixinStandardHelpOptions = true,
      description = "Build the lab (idempotent: an intact lab is left as it is) and wait until the container"
          + " reaches 198.51.100.10.")
  static final class Up implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--docker", description = "also run Debian's dockerd inside lt-guest (own bridge lt-dock0,"
        + " 172.18.0.0/16, socket unix:///run/layertrace/docker/docker.sock) with a container lt-web")
    boolean docker;

    @Option(names = "--vmm", defaultValue = "relay", paramLabel = "KIND",
        description = "relay: lt-guest is a namespace joined to lt-host by the VMM relay (default); qemu: lt-guest"
            + " is a real second kernel, a QEMU microVM (TCG) whose NIC is lt-host's tap0")
    VmmKind vmm;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (vmm == VmmKind.qemu) {
        if (docker) {
          throw LayertraceException.usage("--docker runs dockerd in the namespace lab; not with --vmm qemu");
        }
        QemuLabCli.up(out);
        return ExitCode.OK;
      }
      if (QemuLab.standard().present()) {
        throw LayertraceException.usage("the QEMU lab is up: run layertrace lab down first");
      }
      LabSystem.UpResult r = lab().up();
      if (r.alreadyUp()) {
        out.println("lab: already up (relay pid " + r.relayPid() + "); see layertrace lab status");
      } else {
        out.printf(Locale.ROOT, "lab: up in %d ms (relay pid %d); %s%n", r.took().toMillis(), r.relayPid(),
            r.reachability().describe());
      }
      if (docker) {
        DockerLabCli.up(out);
      }
      return ExitCode.OK;
    }
  }

  /** {@code lab down}. */
  @Command(name = "down", mixinStandardHelpOptions = true,
      description = "Remove everything the lab made: the relay, the lt-* namespaces, /run/layertrace/lab."
          + " Idempotent; works after a crash or a kill -9 of anything.")
  static final class Down implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      DockerLabCli.down(); // the daemon first: it holds the guest namespace open
      QemuLab.standard().down();
      long ms = lab().down().toMillis();
      spec.commandLine().getOut().println("lab: down (" + ms + " ms)");
      return ExitCode.OK;
    }
  }

  /** {@code lab status}. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Each layer's state, the relay's pid and counters, and an ICMP echo from lt-ctr to"
          + " 198.51.100.10. Exit 0 when healthy, 1 when not.")
  static final class Status implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      if (QemuLab.standard().present()) {
        return QemuLabCli.status(out, format == Format.json);
      }
      LabStatus s = lab().status();
      if (format == Format.json) {
        out.println(json().writeValueAsString(s));
      } else {
        out.print(LabStatusText.render(s));
      }
      out.flush();
      return s.healthy() ? ExitCode.OK : ExitCode.STOPPED;
    }
  }

  enum Format { text, json, markdown }

  /** What stands between the guest and the host tap. */
  enum VmmKind { relay, qemu }

  /** {@code lab faults}. */
  @Command(name = "faults", mixinStandardHelpOptions = true,
      description = "The fault catalog: what each fault changes, the probe that shows it, the expected verdict.")
  static final class Faults implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", defaultValue = "text", description = "text, markdown or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      LabTopology t = LabTopology.standard();
      switch (format) {
        case text -> out.print(FaultTable.text(t));
        case markdown -> out.print(FaultTable.markdown(t));
        case json -> {
          List<java.util.Map<String, Object>> rows = new ArrayList<>();
          for (LabFault f : LabFault.values()) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("name", f.word());
            m.put("change", f.change());
            m.put("teaches", f.teaches());
            m.put("probe", f.probe());
            m.put("expected", f.expectedVerdict(t));
            m.put("break", f.breakSteps(t).stream().map(FaultTable::describe).toList());
            m.put("heal", f.healSteps(t).stream().map(FaultTable::describe).toList());
            rows.add(m);
          }
          out.println(json().writeValueAsString(rows));
        }
      }
      out.flush();
      return ExitCode.OK;
    }
  }

  static LabFault fault(String name) {
    return LabFault.of(name).orElseThrow(() -> LayertraceException.usage("unknown fault '" + name
        + "' (see layertrace lab faults)"));
  }

  /** {@code lab break FAULT}. */
  @Command(name = "break", mixinStandardHelpOptions = true, description = "Make one fault of the catalog.")
  static final class Break implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FAULT", description = "a fault name from layertrace lab faults")
    String name;

    @Override
    public Integer call() {
      if (DockerLabCli.breakFault(name, spec.commandLine().getOut())) {
        return ExitCode.OK;
      }
      LabFault f = fault(name);
      QemuLab qemu = QemuLab.standard();
      if (qemu.present()) {
        qemu.breakFault(f); // guest steps run in the guest kernel, vmm-stalled is the monitor's stop
      } else {
        lab().breakFault(f);
      }
      spec.commandLine().getOut().println("lab: broke " + f.word() + " — " + f.change() + "; expected verdict: "
          + f.expectedVerdict().describe());
      return ExitCode.OK;
    }
  }

  /** {@code lab heal FAULT | --all}. */
  @Command(name = "heal", mixinStandardHelpOptions = true,
      description = "Undo a fault (harmless when it is not in place), or every fault with --all.")
  static final class Heal implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FAULT", arity = "0..1", description = "a fault name from layertrace lab faults")
    String name;

    @Option(names = "--all", description = "heal every fault of the catalog")
    boolean all;

    @Override
    public Integer call() {
      if (all == (name != null)) {
        throw LayertraceException.usage("name one FAULT or give --all");
      }
      QemuLab qemu = QemuLab.standard();
      if (all && qemu.present()) {
        for (LabFault f : LabFault.values()) {
          qemu.heal(f);
        }
        spec.commandLine().getOut().println("lab: healed every fault");
      } else if (all) {
        lab().healAll();
        spec.commandLine().getOut().println("lab: healed every fault");
      } else {
        if (DockerLabCli.heal(name, spec.commandLine().getOut())) {
          return ExitCode.OK;
        }
        LabFault f = fault(name);
        if (qemu.present()) {
          qemu.heal(f);
        } else {
          lab().heal(f);
        }
        spec.commandLine().getOut().println("lab: healed " + f.word());
      }
      return ExitCode.OK;
    }
  }

  /** {@code lab digest}: the state digest (for tests and for comparing two moments by hand). */
  @Command(name = "digest", hidden = true, mixinStandardHelpOptions = true,
      description = "Print the digest of all lab namespaces (--canonical: the text it is taken over).")
  static final class Digest implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--canonical")
    boolean canonical;

    @Override
    public Integer call() {
      var s = lab().snapshot();
      spec.commandLine().getOut().print(canonical ? s.canonical() : s.digest() + "\n");
      return ExitCode.OK;
    }
  }

  /** {@code lab vmm}: the VMM relay process itself, started detached by {@code lab up}. */
  @Command(name = "vmm", hidden = true, mixinStandardHelpOptions = true,
      description = "Internal: copy frames between the guest NIC tap and the host tap (started by lab up).")
  static final class Vmm implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--runtime-dir", defaultValue = "/run/layertrace/lab")
    Path runtimeDir;

    // A lab copy (LabTopology.copy) runs its own relay between its own namespaces.
    @Option(names = "--guest-netns", defaultValue = LabTopology.GUEST)
    String guestNetns;

    @Option(names = "--host-netns", defaultValue = LabTopology.HOST)
    String hostNetns;

    @Option(names = "--no-offload", description = "plain taps, one MTU-sized frame per read (no virtio-net header)")
    boolean noOffload;

    @Override
    public Integer call() throws InterruptedException {
      LabRuntime runtime = new LabRuntime(runtimeDir);
      RelayProcess.writePid(runtime.relayPidFile(), ProcessHandle.current().pid());
      VmmRelay relay = VmmRelay.open(guestNetns, "eth0", hostNetns, "tap0", runtime.relayState(), 10_000,
          !noOffload);
      CountDownLatch done = new CountDownLatch(1);
      AtomicReference<String> reason = new AtomicReference<>("stopped");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        relay.stop();
        try {
          done.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "vmm-shutdown"));
      System.out.println("vmm relay: pid " + ProcessHandle.current().pid() + " relaying " + guestNetns
          + "/eth0 <-> " + hostNetns + "/tap0" + (noOffload ? " (no offloads)" : " (virtio-net header, offloads)"));
      try {
        reason.set(relay.run());
        System.out.println("vmm relay: ended (" + reason.get() + "): " + relay.counters(reason.get()).toText()
            .replace('\n', ' '));
      } finally {
        done.countDown(); // lets a SIGTERM's shutdown hook finish, and with it the JVM
      }
      return ExitCode.OK;
    }
  }
}
