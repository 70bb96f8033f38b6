package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabHealth;
import dev.layertrace.lab.LabSnapshot;
import dev.layertrace.lab.LabStatus;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.lab.Reachability;
import dev.layertrace.lab.RelayCounters;
import dev.layertrace.lab.RelayStatus;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds, inspects, breaks, heals and removes a lab on this machine. Every change happens inside
 * the lab's own namespaces (the root namespace is never touched) and under the lab lock, so that
 * several shells or test JVMs can share one lab.
 */
@SuppressWarnings("try") // try-with-resources blocks hold the lab lock; their bodies need not name it
public final class LabSystem {
  private static final long RELAY_START_MS = 8_000;
  private static final long READY_MS = 5_000;

  private final LabTopology topology;
  private final LabRuntime runtime;
  private final List<String> relayCommand;
  private final RelayProcess relay;
  private final LabStepRunner runner;
  private LabLock held; // set while hold() is in effect

  /**
   * @param relayCommand how to start the VMM relay process ({@code … layertrace lab vmm}); unused for
   *     a topology whose VMM link is a veth
   */
  public LabSystem(LabTopology topology, LabRuntime runtime, List<String> relayCommand) {
    this.topology = topology;
    this.runtime = runtime;
    this.relayCommand = List.copyOf(relayCommand);
    this.relay = new RelayProcess(runtime);
    this.runner = new LabStepRunner(relay::signal);
  }

  /** The standard lab of DESIGN.md. */
  public static LabSystem standard(List<String> relayCommand) {
    return new LabSystem(LabTopology.standard(), LabRuntime.standard(), relayCommand);
  }

  public LabTopology topology() {
    return topology;
  }

  /**
   * Holds the lab lock until the returned handle is closed, so that a sequence of operations (a test
   * class, a benchmark) has the lab to itself; this instance's own operations then do not lock again.
   * Not for use from several threads at once.
   */
  public AutoCloseableLock hold() {
    if (held != null) {
      throw new IllegalStateException("the lab lock is already held by this LabSystem");
    }
    LabLock lock = LabLock.acquire(runtime);
    held = lock;
    return () -> {
      held = null;
      lock.close();
    };
  }

  /** A lock handle whose close() throws nothing. */
  @FunctionalInterface
  public interface AutoCloseableLock extends AutoCloseable {
    @Override
    void close();
  }

  private AutoCloseableLock lock() {
    if (held != null) {
      return () -> { };
    }
    LabLock lock = LabLock.acquire(runtime);
    return lock::close;
  }

  /** What {@link #up()} did. */
  public record UpResult(boolean alreadyUp, Duration took, Reachability reachability, long relayPid) {}

  /**
   * Builds the lab and waits until the container reaches the remote. When the whole lab is already
   * there with its relay running it changes nothing ({@code alreadyUp}); leftovers of a crashed or
   * killed lab are removed first.
   */
  public UpResult up() {
    long t0 = System.nanoTime();
    requireRoot();
    LabStepRunner.requireTools();
    try (AutoCloseableLock lock = lock()) {
      if (complete()) {
        return new UpResult(true, Duration.ofNanos(System.nanoTime() - t0), null, relay.pid().orElse(-1L));
      }
      removeEverything();
      runtime.create();
      // SIGINT/SIGTERM while building: the build stops between two commands, removes what it made,
      // and the hook waits for that (and removes again) before the JVM ends.
      AtomicBoolean signalled = new AtomicBoolean();
      CountDownLatch settled = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        signalled.set(true);
        try {
          settled.await(SIGNAL_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        removeEverything();
        runtime.removeAll();
      }, "layertrace-lab-up-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        Thread warmUp = warmUpNative();
        try {
          // The relay's JVM starts while the lab is built; it waits for its taps to appear.
          long pid = topology.vmmLink() == LabTopology.VmmLink.RELAY ? relay.start(relayCommand) : -1;
          runner.run(topology.buildSteps(), signalled::get);
          if (pid > 0) {
            awaitRelay(pid, signalled);
          }
          warmUp.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          removeEverything();
          throw new LayertraceException(ExitCode.INTERNAL, "interrupted while building the lab");
        } catch (RuntimeException e) {
          // A half-built lab is worse than none: leave nothing behind.
          removeEverything();
          throw e;
        }
        Reachability r = awaitPath(signalled);
        if (signalled.get()) {
          removeEverything();
          throw new LayertraceException(ExitCode.STOPPED, "lab: stopped by a signal before it was ready");
        }
        if (!r.reached()) {
          // Built completely: left in place so that lab status can show what does not answer.
          throw new LayertraceException(ExitCode.STOPPED, "lab: built, but " + r.describe()
              + " — see layertrace lab status");
        }
        return new UpResult(false, Duration.ofNanos(System.nanoTime() - t0), r, relay.pid().orElse(-1L));
      } finally {
        settled.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // already shutting down: the hook runs and removes the lab
        }
      }
    }
  }

  /** How long a signal's hook waits for the build to stop by itself before removing the lab anyway. */
  private static final long SIGNAL_GRACE_MS = 3_000;

  /** Removes the relay, the namespaces and the runtime files; fine when there is nothing to remove. */
  public Duration down() {
    long t0 = System.nanoTime();
    requireRoot();
    try (AutoCloseableLock lock = lock()) {
      removeEverything();
      runtime.removeAll();
    }
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  /** Checks every layer, the relay and (when the lab is complete) the path end to end. */
  public LabStatus status() {
    requireRoot();
    LabSnapshot s = snapshot();
    RelayStatus r = topology.vmmLink() == LabTopology.VmmLink.RELAY ? relay.status() : RelayStatus.absent();
    Reachability reach = s.namespaces().size() == topology.namespaces().size() ? reach(2, 500) : null;
    return LabHealth.evaluate(topology, s, r, reach);
  }

  /** The state of all lab namespaces now (digest input). */
  public LabSnapshot snapshot() {
    return LabStateReader.snapshot(topology.namespaces());
  }

  /** ICMP echo from the container to the remote. */
  public Reachability reach(int attempts, int timeoutMs) {
    return LabStateReader.icmp(topology.ctr(), topology.ctr() + " eth0", LabTopology.REMOTE, attempts, timeoutMs);
  }

  /** Makes {@code fault} (idempotent). */
  public void breakFault(LabFault fault) {
    change(fault, fault.breakSteps(topology));
  }

  /**
   * Undoes {@code fault} (idempotent). After a link comes back up the container sometimes gets no
   * answer for several seconds (seen here after veth-peer-down: neither the container's ICMP nor the
   * bridge's ARP crossed the veth for up to ~10 s, cause not yet found), so a healed link fault waits
   * until the path answers again, for at most {@link #HEAL_WAIT_ATTEMPTS} seconds, rather than
   * report "healed" for a path that does not work yet.
   */
  public void heal(LabFault fault) {
    change(fault, fault.healSteps(topology));
    if (LINK_FAULTS.contains(fault)) {
      reach(HEAL_WAIT_ATTEMPTS, 1000);
    }
  }

  private static final int HEAL_WAIT_ATTEMPTS = 15;
  private static final java.util.Set<LabFault> LINK_FAULTS = java.util.EnumSet.of(LabFault.VETH_PEER_DOWN,
      LabFault.VETH_DETACHED, LabFault.BRIDGE_DOWN, LabFault.GUEST_NIC_DOWN, LabFault.TAP_DOWN, LabFault.UPLINK_DOWN);

  /** Heals every fault of the catalog that applies to this lab. */
  public void healAll() {
    requireUp();
    try (AutoCloseableLock lock = lock()) {
      for (LabFault f : LabFault.values()) {
        // A dead relay cannot be resumed: that is lab up's job, not a heal's.
        boolean deadRelay = f == LabFault.VMM_STALLED && relay.status().process() != RelayStatus.ProcessState.STOPPED;
        if (f.appliesTo(topology) && !deadRelay) {
          runner.run(f.healSteps(topology));
        }
      }
    }
  }

  /** The relay's counters, if it wrote any. */
  public Optional<RelayCounters> relayCounters() {
    return relay.counters();
  }

  private void change(LabFault fault, List<dev.layertrace.lab.LabStep> steps) {
    requireUp();
    if (!fault.appliesTo(topology)) {
      throw LayertraceException.usage("fault " + fault.word() + " does not apply to a lab without a VMM relay");
    }
    try (AutoCloseableLock lock = lock()) {
      runner.run(steps);
    }
  }

  private void requireUp() {
    requireRoot();
    for (String ns : topology.namespaces()) {
      if (!LabStateReader.exists(ns)) {
        throw new LayertraceException(ExitCode.STOPPED, "the lab is not up (no namespace " + ns
            + "): run layertrace lab up");
      }
    }
  }

  private boolean complete() {
    for (String ns : topology.namespaces()) {
      if (!LabStateReader.exists(ns)) {
        return false;
      }
    }
    return topology.vmmLink() != LabTopology.VmmLink.RELAY
        || relay.status().process() == RelayStatus.ProcessState.RUNNING
        || relay.status().process() == RelayStatus.ProcessState.STOPPED;
  }

  private void removeEverything() {
    relay.stop(500);
    List<String> present = new ArrayList<>();
    for (String ns : topology.namespaces()) {
      if (LabStateReader.exists(ns)) {
        present.add(ns);
      }
    }
    if (!present.isEmpty()) {
      StringBuilder batch = new StringBuilder();
      present.forEach(ns -> batch.append("netns delete ").append(ns).append('\n'));
      Commands.run(List.of("ip", "-force", "-batch", "-"), batch.toString(), Duration.ofSeconds(10));
    }
    try {
      Files.deleteIfExists(runtime.relayPidFile());
      Files.deleteIfExists(runtime.relayState());
    } catch (java.io.IOException e) {
      // removeAll() reports it if it persists
    }
  }

  /**
   * Loads the native layer on a spare thread while the build's processes and the relay's JVM start
   * (it takes most of a second on a cold JVM): the reachability check then starts at once.
   */
  private static Thread warmUpNative() {
    Thread t = new Thread(() -> {
      try (NetnsExecutor self = NetnsExecutor.enter(Netns.self())) {
        self.call(() -> java.net.InetAddress.getByName(LabTopology.REMOTE));
      } catch (RuntimeException e) {
        // The real check reports any problem.
      }
    }, "layertrace-lab-warmup");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void awaitRelay(long pid, AtomicBoolean signalled) {
    long deadline = System.currentTimeMillis() + RELAY_START_MS;
    while (System.currentTimeMillis() < deadline && !signalled.get()) {
      Optional<RelayCounters> c = relay.counters();
      if (c.isPresent() && c.get().phase().equals("relaying")) {
        return;
      }
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE
          || c.isPresent() && !c.get().phase().equals("starting")) {
        break;
      }
      sleep(20);
    }
    throw new LayertraceException(ExitCode.INTERNAL, "the VMM relay did not start (see " + runtime.relayLog() + ")");
  }

  private Reachability awaitPath(AtomicBoolean signalled) {
    // The first packets through a fresh bridge and fresh neighbour entries can be lost: retry briefly.
    long deadline = System.currentTimeMillis() + READY_MS;
    Reachability r;
    do {
      r = reach(1, 300);
    } while (!r.reached() && System.currentTimeMillis() < deadline && !signalled.get());
    return r;
  }

  private static void requireRoot() {
    Privileges.require("to build, inspect or remove the lab's network namespaces", Privileges.Capability.NET_ADMIN,
        Privileges.Capability.SYS_ADMIN);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LayertraceException(ExitCode.INTERNAL, "interrupted");
    }
  }
}
