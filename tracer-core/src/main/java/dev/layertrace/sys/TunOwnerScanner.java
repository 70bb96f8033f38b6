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

  public TunOwnerScanner() {
    this(Path.of("/proc"));
  }

  TunOwnerScanner(Path proc) {
    this.proc = proc;
  }

  public List<TunHolder> scan() {
    List<TunHolder> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
      for (Path p : ds) {
        String pidText = p.getFileName().toString();
        if (!ProcReaders.isPid(pidText)) {
          continue;
        }
        List<String> taps = taps(p);
        if (!taps.isEmpty()) {
          int pid = Integer.parseInt(pidText);
          String command = ProcReaders.cmdline(pid).or(() -> ProcReaders.comm(pid)).orElse("?");
          // A VMM can be running while its VM is paused: ask it, where its command line says how.
          // (A stopped process would not answer: do not ask it.)
          String state = ProcReaders.processState(pid).orElse("?");
          VmStatus vm = state.equals("T") || state.equals("t") ? null
              : VmmStatusReader.read(ProcReaders.cmdlineArgs(pid)).orElse(null);
          out.add(new TunHolder(pid, command, state, taps, vm, netnsInode(p)));
        }
      }
    } catch (IOException e) {
      // no /proc: no holders known
    }
    return out;
  }

  /** {@code /proc/PID/ns/net} → {@code net:[4026531840]} → the inode; 0 when unreadable. */
  private static long netnsInode(Path procPid) {
    return ProcReaders.readLink(procPid.resolve("ns").resolve("net")).map(Path::toString)
        .filter(l -> l.startsWith("net:[") && l.endsWith("]"))
        .map(l -> Long.parseLong(l.substring(5, l.length() - 1))).orElse(0L);
  }

  private static List<String> taps(Path procPid) {
    List<String> taps = new ArrayList<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(procPid.resolve("fd"))) {
      for (Path fd : fds) {
        if (!ProcReaders.readLink(fd).map(TUN::equals).orElse(false)) {
          continue;
        }
        ProcReaders.read(procPid.resolve("fdinfo").resolve(fd.getFileName())).ifPresent(info ->
            info.lines().filter(l -> l.startsWith("iff:")).map(l -> l.substring(4).strip())
                .filter(s -> !s.isEmpty()).forEach(taps::add));
      }
    } catch (IOException | SecurityException e) {
      // EACCES or the process is gone: unknown, not a failure
    }
    return taps;
  }
}
