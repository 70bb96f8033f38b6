package dev.layertrace.sys;

import dev.layertrace.lab.RelayCounters;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lab's VMM: what a virtio-net backend does, reduced to copying Ethernet frames between the
 * guest NIC's tap (in the guest namespace) and the host's tap (in the host namespace), both ways.
 * One thread per direction reads a frame and writes it; it waits in {@code poll} only when its tap
 * has nothing to read, so a busy link costs one read and one write per frame. Like Firecracker, it
 * opens both taps with a virtio-net header and offloads on, so under load a "frame" is a GSO packet
 * of up to 64 KiB passed on verbatim, header included: far fewer syscalls than one per 1500-byte
 * frame. Counters go to a state file every half second. It stops on {@link #stop()} (SIGTERM's
 * shutdown hook), when a tap disappears ({@code ip link delete}), or when a tap's namespace is deleted.
 */
public final class VmmRelay {
  private static final short POLLIN = 0x001;
  private static final short POLLERR = 0x008;
  private static final short POLLHUP = 0x010;
  private static final short POLLNVAL = 0x020;
  private static final int POLL_MS = 200;
  private static final long STATE_EVERY_MS = 500;

  private final TunDevice guest;
  private final TunDevice host;
  // A tap's descriptor keeps its namespace alive, so `ip netns delete` alone never makes the tap
  // disappear: the relay watches the namespace files and ends when they are gone or replaced.
  private final List<NamespaceWatch> namespaces;
  private final Path stateFile;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Direction guestToHost;
  private final Direction hostToGuest;
  private volatile String endReason = "stopped";

  private VmmRelay(TunDevice guest, TunDevice host, Path stateFile, List<NamespaceWatch> namespaces) {
    this.guest = guest;
    this.host = host;
    this.namespaces = List.copyOf(namespaces);
    this.stateFile = stateFile;
    this.guestToHost = new Direction(guest, host);
    this.hostToGuest = new Direction(host, guest);
  }

  /**
   * Opens {@code guestTap} in {@code guestNetns} and {@code hostTap} in {@code hostNetns}, waiting up
   * to {@code waitMillis} for them to exist: {@code lab up} starts the relay while it still builds the
   * lab, so the JVM's start overlaps the build. The relay never creates a tap itself. Offloads on.
   */
  public static VmmRelay open(String guestNetns, String guestTap, String hostNetns, String hostTap, Path stateFile,
      long waitMillis) {
    return open(guestNetns, guestTap, hostNetns, hostTap, stateFile, waitMillis, true);
  }

  /**
   * Like {@link #open(String, String, String, String, Path, long)}; {@code offloads} false opens plain
   * taps and copies MTU-sized frames (a VMM without virtio-net offloads).
   */
  public static VmmRelay open(String guestNetns, String guestTap, String hostNetns, String hostTap, Path stateFile,
      long waitMillis, boolean offloads) {
    long deadline = System.currentTimeMillis() + waitMillis;
    TunDevice g = openIn(guestNetns, guestTap, deadline, offloads);
    try {
      TunDevice h = openIn(hostNetns, hostTap, deadline, offloads);
      g.setNonBlocking(true);
      h.setNonBlocking(true);
      return new VmmRelay(g, h, stateFile, List.of(NamespaceWatch.of(guestNetns), NamespaceWatch.of(hostNetns)));
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
  }

  private static TunDevice openIn(String netns, String tap, long deadline, boolean offloads) {
    while (true) {
      try (NetnsExecutor ns = NetnsExecutor.enter(Netns.named(netns))) {
        while (true) {
          boolean exists = ns.call(() -> {
            try {
              Interfaces.index(tap);
              return true;
            } catch (dev.layertrace.LayertraceException absent) {
              return false;
            }
          });
          if (exists) {
            return ns.call(() -> TunDevice.openTap(tap, offloads));
          }
          pause(deadline, netns + "/" + tap);
        }
      } catch (dev.layertrace.LayertraceException | SysException notYet) {
        // The namespace is not there yet (or its bind mount is still being made).
        if (System.currentTimeMillis() >= deadline) {
          throw notYet;
        }
      }
      pause(deadline, netns + "/" + tap);
    }
  }

  private static void pause(long deadline, String what) {
    if (System.currentTimeMillis() >= deadline) {
      throw new dev.layertrace.LayertraceException(dev.layertrace.ExitCode.INTERNAL,
          "vmm relay: tap " + what + " did not appear");
    }
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.layertrace.LayertraceException(dev.layertrace.ExitCode.INTERNAL, "vmm relay: interrupted");
    }
  }

  /** Copies until stopped or a tap is gone; returns why it ended ({@code stopped}, {@code tap-gone}). */
  public String run() {
    Thread a = new Thread(guestToHost, "vmm-guest-to-host");
    Thread b = new Thread(hostToGuest, "vmm-host-to-guest");
    a.start();
    b.start();
    writeState("relaying");
    try {
      while (a.isAlive() || b.isAlive()) {
        a.join(STATE_EVERY_MS);
        if (!a.isAlive() || !b.isAlive()) {
          running.set(false); // one direction ended: a tap is gone, so end the other too
        }
        if (running.get() && namespaces.stream().anyMatch(NamespaceWatch::gone)) {
          endReason = "netns-gone";
          running.set(false);
        }
        writeState(running.get() ? "relaying" : endReason);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.set(false);
    }
    guest.close();
    host.close();
    writeState(endReason);
    return endReason;
  }

  /** Asks both directions to end (from a shutdown hook); {@link #run()} then returns. */
  public void stop() {
    running.set(false);
  }

  /** The counters so far. */
  public RelayCounters counters(String phase) {
    return new RelayCounters(guestToHost.frames.get(), guestToHost.bytes.get(), hostToGuest.frames.get(),
        hostToGuest.bytes.get(), guestToHost.dropped.get() + hostToGuest.dropped.get(), System.currentTimeMillis(),
        phase);
  }

  private void writeState(String phase) {
    try {
      RelayProcess.writeAtomically(stateFile, counters(phase).toText());
    } catch (RuntimeException e) {
      // The runtime folder is gone (lab down removed it): the relay is about to be stopped anyway.
    }
  }

  /** A lab namespace file and the namespace it named when the relay opened its tap. */
  private record NamespaceWatch(String name, long inode) {
    static NamespaceWatch of(String name) {
      return new NamespaceWatch(name, Netns.named(name).inode());
    }

    boolean gone() {
      try {
        return Netns.named(name).inode() != inode;
      } catch (RuntimeException e) {
        return true;
      }
    }
  }

  /**
   * One direction: read a frame from {@code from}, write it to {@code to}. Both taps have the same
   * virtio-net header size, so header and frame go across unchanged; counters count packets as read
   * and their Ethernet bytes (without the header).
   */
  private final class Direction implements Runnable {
    private final TunDevice from;
    private final TunDevice to;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    Direction(TunDevice from, TunDevice to) {
      this.from = from;
      this.to = to;
    }

    @Override
    public void run() {
      // One buffer for the thread's life: no allocation per frame.
      byte[] frame = new byte[TunDevice.MAX_PACKET];
      int header = from.vnetHeaderSize();
      try {
        while (running.get()) {
          int n = from.read(frame);
          if (n > 0) {
            if (to.write(frame, n) == n) {
              frames.incrementAndGet();
              bytes.addAndGet(n - header);
            } else {
              dropped.incrementAndGet(); // the other tap is down or gone; a NIC drops too
            }
          } else if (n == 0) {
            short ev = from.poll(POLLIN, POLL_MS);
            if ((ev & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
              gone();
            }
          } else {
            gone();
          }
        }
      } catch (SysException e) {
        // A tap whose interface was deleted answers EBADFD or similar: treat as gone.
        System.err.println("vmm relay: " + from.name() + ": " + e.getMessage());
        gone();
      }
    }

    private void gone() {
      endReason = "tap-gone";
      running.set(false);
    }
  }
}
