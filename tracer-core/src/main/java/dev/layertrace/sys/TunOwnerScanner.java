package dev.layertrace.sys;

import dev.layertrace.discover.TunHolder;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the processes behind tap devices: every {@code /proc/PID/fd/FD} that links to
 * {@code /dev/net/tun}, with the interface from {@code /proc/PID/fdinfo/FD} ({@code iff: NAME}), the
 * process name and its state (T = stopped). Unreadable processes are skipped.
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
          out.add(new TunHolder(pid, command, ProcReaders.processState(pid).orElse("?"), taps));
        }
      }
    } catch (IOException e) {
      // no /proc: no holders known
    }
    return out;
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
