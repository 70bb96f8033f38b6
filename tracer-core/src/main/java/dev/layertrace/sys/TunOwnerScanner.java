package dev.layertrace.sys;

import dev.layertrace.discover.TunHolder;
import dev.layertrace.discover.VmStatus;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the processes behind tap devices: every {@code /proc/PID/fd/FD} that links to
 * {@code /dev/net/tun}, with the interface from {@code /proc/PID/fdinfo/FD} ({@code iff: NAME}), the
 * process name and its state (T = stopped), and for QEMU the VM's run state from its control socket.
 * Unreadable processes are skipped.
 */
public final class TunOwnerScanner {
  private static final Path TUN = Path.of("/dev/net/tun");
  private final Path proc;
  /** Whether to ask the kernel for each tap's namespace (only for the real /proc: it needs real pids). */
  private final boolean askNamespaces;

  public TunOwnerScanner() {
    this(Path.of("/proc"), true);
  }

  TunOwnerScanner(Path proc) {
    this(proc, false);
  }

  private TunOwnerScanner(Path proc, boolean askNamespaces) {
    this.proc = proc;
    this.askNamespaces = askNamespaces;
  }

  public List<TunHolder> scan() {
    List<TunHolder> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
      for (Path p : ds) {
        String pidText = p.getFileName().toString();
        if (!ProcReaders.isPid(pidText)) {
          continue;
        }
        List<HeldTap> held = taps(p);
        if (!held.isEmpty()) {
          List<String> taps = held.stream().map(HeldTap::name).toList();
          List<Long> tapNetns = held.stream().map(HeldTap::netnsInode).toList();
          int pid = Integer.parseInt(pidText);
          String command = ProcReaders.cmdline(pid).or(() -> ProcReaders.comm(pid)).orElse("?");
          // A VMM can be running while its VM is paused: ask it, where its command line says how.
          // (A stopped process would not answer: do not ask it.)
          String state = ProcReaders.processState(pid).orElse("?");
          VmStatus vm = state.equals("T") || state.equals("t") ? null
              : VmmStatusReader.read(ProcReaders.cmdlineArgs(pid)).orElse(null);
          out.add(new TunHolder(pid, command, state, taps, vm, netnsInode(p), tapNetns));
        }
      }
    } catch (IOException e) {
      // no /proc: no holders known
    }
    return out;
  }

  /** {@code /proc/PID/ns/net} → {@code net:[4026531840]} → the inode; 0 when unreadable. */
  private static long netnsInode(Path procPid) {
    return nsInode(ProcReaders.readLink(procPid.resolve("ns").resolve("net")));
  }

  private static long nsInode(java.util.Optional<Path> link) {
    return link.map(Path::toString).filter(l -> l.startsWith("net:[") && l.endsWith("]"))
        .map(l -> Long.parseLong(l.substring(5, l.length() - 1))).orElse(0L);
  }

  /** A tap a process holds: its name, and the inode of its namespace (0: could not be asked). */
  private record HeldTap(String name, long netnsInode) {}

  private List<HeldTap> taps(Path procPid) {
    List<HeldTap> taps = new ArrayList<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(procPid.resolve("fd"))) {
      for (Path fd : fds) {
        if (!ProcReaders.readLink(fd).map(TUN::equals).orElse(false)) {
          continue;
        }
        String fdText = fd.getFileName().toString();
        ProcReaders.read(procPid.resolve("fdinfo").resolve(fdText)).ifPresent(info ->
            info.lines().filter(l -> l.startsWith("iff:")).map(l -> l.substring(4).strip())
                .filter(s -> !s.isEmpty()).forEach(name -> taps.add(new HeldTap(name,
                    askNamespaces ? deviceNamespace(procPid, fdText) : 0))));
      }
    } catch (IOException | SecurityException e) {
      // EACCES or the process is gone: unknown, not a failure
    }
    return taps;
  }

  private static final long SYS_PIDFD_OPEN = 434;
  private static final long SYS_PIDFD_GETFD = 438;
  /** {@code _IO('T', 227)}: a descriptor for the namespace the tun device lives in (Linux 5.2+). */
  private static final long TUNGETDEVNETNS = 0x54E3;

  /**
   * fdinfo names a tap but not its namespace, and two VMs' taps may both be called tap0 (with the
   * same MAC and subnet, when their configs are copies). Asked exactly: a copy of the holder's
   * descriptor (pidfd_getfd, needs ptrace rights over it) answers TUNGETDEVNETNS with the device's
   * namespace. The copy is closed at once; the holder's own descriptor is untouched. 0 when any step
   * is refused or unsupported.
   */
  private static long deviceNamespace(Path procPid, String fdText) {
    int pid;
    int fd;
    try {
      pid = Integer.parseInt(procPid.getFileName().toString());
      fd = Integer.parseInt(fdText);
    } catch (NumberFormatException e) {
      return 0;
    }
    int pidfd = (int) Native.LIBC.syscall(SYS_PIDFD_OPEN, pid, 0, 0);
    if (pidfd < 0) {
      return 0;
    }
    try {
      int copy = (int) Native.LIBC.syscall(SYS_PIDFD_GETFD, pidfd, fd, 0);
      if (copy < 0) {
        return 0;
      }
      try {
        int ns = Native.LIBC.ioctl(copy, TUNGETDEVNETNS, 0L);
        if (ns < 0) {
          return 0;
        }
        try {
          return nsInode(ProcReaders.readLink(Path.of("/proc/self/fd/" + ns)));
        } finally {
          Native.closeQuietly(ns);
        }
      } finally {
        Native.closeQuietly(copy);
      }
    } finally {
      Native.closeQuietly(pidfd);
    }
  }
}
