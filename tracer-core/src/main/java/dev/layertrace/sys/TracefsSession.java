package dev.layertrace.sys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A private tracefs instance ({@code /sys/kernel/tracing/instances/layertrace-<pid>[-n]}) recording
 * {@code skb:kfree_skb}, {@code net:net_dev_queue} and {@code net:netif_receive_skb} on the monotonic clock (the clock of {@code System.nanoTime()}), so
 * events line up with observations. No eBPF or BTF needed. The instance is removed by {@link #close}
 * (call it in {@code finally}; the trace command also calls it from a shutdown hook).
 */
public final class TracefsSession implements AutoCloseable {
  static final Path TRACING = Path.of("/sys/kernel/tracing");
  // Not fib:fib_table_lookup: nothing binds it (it has no skbaddr), it cannot be filtered to the
  // probes, and on a forwarding host it fires for every packet — under a flood that cost the flood
  // ~10 % and filled the 512 kB buffer with lines every round had to read.
  static final List<String> EVENTS = List.of("skb/kfree_skb", "net/net_dev_queue", "net/netif_receive_skb");

  /** The most one read of trace_pipe copies; a round's events are a few kB. */
  private static final int PIPE_READ = 64 * 1024;

  private final Path dir;
  private boolean closed;
  /** trace_pipe, non-blocking, opened by the first {@link #readAndClear}; -1 before. */
  private int pipe = -1;
  /** A line trace_pipe had not finished when the last read stopped (rare: it returns whole lines). */
  private String partial = "";

  /** Thrown when tracefs cannot be used here; its message says why, in a few words. */
  public static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String why) {
      super(why);
    }
  }

  private TracefsSession(Path dir) {
    this.dir = dir;
  }

  /**
   * Creates and starts the instance {@code name}. {@code lengths} restricts the binding events to skbs of
   * those lengths (the probe's IP and frame lengths, ARP's 28 and 42), so a busy host does not flood the
   * buffer. Mounts tracefs first if it is not mounted.
   */
  public static TracefsSession start(String name, List<Integer> lengths) throws Unavailable {
    if (!name.startsWith("layertrace-") || name.contains("/")) {
      throw new IllegalArgumentException("a tracefs instance of layertrace is named layertrace-…");
    }
    Path instances = ensureMounted().resolve("instances");
    removeStale();
    Path dir = instances.resolve(name);
    try {
      if (Files.isDirectory(dir)) {
        removeInstance(dir); // left by a killed run with the same pid
      }
      Files.createDirectory(dir);
    } catch (IOException e) {
      throw new Unavailable("cannot create " + dir + ": " + e.getMessage());
    }
    TracefsSession s = new TracefsSession(dir);
    try {
      // A new instance records at once: off until every event is enabled, or a packet passing meanwhile
      // leaves a drop without the receive events that place it (seen with four sessions at a time).
      write(dir.resolve("tracing_on"), "0");
      write(dir.resolve("trace_clock"), "mono");
      write(dir.resolve("buffer_size_kb"), "512");
      String lenFilter = lengths.stream().map(l -> "len == " + l).reduce((a, b) -> a + " || " + b).orElse("len > 0");
      write(dir.resolve("events/net/net_dev_queue/filter"), lenFilter);
      write(dir.resolve("events/net/netif_receive_skb/filter"), lenFilter);
      write(dir.resolve("events/skb/kfree_skb/filter"), "protocol == 2048 || protocol == 2054");
      for (String ev : EVENTS) {
        Path enable = dir.resolve("events/" + ev + "/enable");
        if (Files.exists(enable)) {
          write(enable, "1");
        } else if (ev.startsWith("skb/")) {
          throw new Unavailable("the kernel has no " + ev + " tracepoint");
        }
      }
      write(dir.resolve("tracing_on"), "1");
      return s;
    } catch (IOException e) {
      s.close();
      throw new Unavailable("cannot configure " + dir + ": " + e.getMessage());
    } catch (Unavailable e) {
      s.close();
      throw e;
    }
  }

  /** The instance's path. */
  public Path dir() {
    return dir;
  }

  /** Stops recording and returns the recorded lines (comments dropped). */
  public List<String> stopAndRead() {
    try {
      write(dir.resolve("tracing_on"), "0");
      return Files.readAllLines(dir.resolve("trace"), StandardCharsets.UTF_8).stream()
          .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Returns the lines recorded since the last call and empties the buffer, recording on: for traces
   * that follow one another in one session (each then binds only its own window's events). Reads
   * {@code trace_pipe} without blocking, which consumes what it returns: reading the {@code trace}
   * file and truncating it instead took 15 to 50 ms a round on the lab.
   */
  public synchronized List<String> readAndClear() {
    if (closed) {
      return List.of();
    }
    if (pipe < 0) {
      pipe = Native.LIBC.open(dir.resolve("trace_pipe").toString(),
          LinuxConstants.O_RDONLY | LinuxConstants.O_NONBLOCK | LinuxConstants.O_CLOEXEC);
      if (pipe < 0) {
        return readTraceAndTruncate();
      }
    }
    java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[PIPE_READ];
    // Until EAGAIN (empty); a read of 0 or another error ends it as well.
    while (true) {
      long n = Native.LIBC.read(pipe, buf, buf.length);
      if (n > 0) {
        text.write(buf, 0, (int) n);
      } else if (n == 0 || Native.errno() != Errno.EINTR) {
        break;
      }
    }
    String all = partial + text.toString(StandardCharsets.UTF_8);
    int end = all.lastIndexOf('\n');
    partial = all.substring(end + 1);
    return all.substring(0, end + 1).lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
  }

  private List<String> readTraceAndTruncate() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("trace"), StandardCharsets.UTF_8).stream()
          .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
      write(dir.resolve("trace"), "");
      return lines;
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Disables the events and removes the instance. Idempotent; never throws. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // An open trace_pipe holds the instance: rmdir would answer EBUSY.
    Native.closeQuietly(pipe);
    pipe = -1;
    removeInstance(dir);
  }

  /** Instances named {@code layertrace-*} whose pid is gone: what a killed run left (for cleanup). */
  public static List<Path> stale() {
    Path instances = TRACING.resolve("instances");
    try (var s = Files.list(instances)) {
      return s.filter(p -> p.getFileName().toString().startsWith("layertrace-"))
          .filter(p -> pidOf(p).map(pid -> !Files.exists(Path.of("/proc", Long.toString(pid)))).orElse(false))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Removes an instance directory (after disabling its events). */
  public static void removeInstance(Path dir) {
    try {
      write(dir.resolve("tracing_on"), "0");
      for (String ev : EVENTS) {
        Path enable = dir.resolve("events/" + ev + "/enable");
        if (Files.exists(enable)) {
          write(enable, "0");
        }
      }
    } catch (IOException e) {
      // removal below is what matters
    }
    // rmdir answers EBUSY while the kernel still holds a reference (a reader closing, events being
    // disabled on another CPU): retry briefly; what still remains is removed by the next run (stale()).
    for (int attempt = 0; attempt < 20; attempt++) {
      try {
        Files.deleteIfExists(dir);
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Removes the instances that killed runs left behind (their pid is gone). */
  public static void removeStale() {
    stale().forEach(TracefsSession::removeInstance);
  }

  private static Optional<Long> pidOf(Path instance) {
    String[] parts = instance.getFileName().toString().split("-");
    try {
      return Optional.of(Long.parseLong(parts[1]));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The tracefs root, mounting it at /sys/kernel/tracing when it is not mounted yet. */
  private static Path ensureMounted() throws Unavailable {
    if (Files.isDirectory(TRACING.resolve("instances"))) {
      return TRACING;
    }
    if (!Files.isDirectory(TRACING)) {
      throw new Unavailable("this kernel has no tracefs (/sys/kernel/tracing is missing)");
    }
    Commands.Result r;
    try {
      r = Commands.run(List.of("mount", "-t", "tracefs", "nodev", TRACING.toString()), null,
          java.time.Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      throw new Unavailable("tracefs is not mounted and mount failed: " + e.getMessage());
    }
    if (!r.ok() || !Files.isDirectory(TRACING.resolve("instances"))) {
      throw new Unavailable("tracefs is not mounted and cannot be mounted: "
          + r.stderr().strip().lines().findFirst().orElse("mount exited " + r.exitCode()));
    }
    return TRACING;
  }

  private static void write(Path p, String value) throws IOException {
    Files.writeString(p, value, StandardCharsets.US_ASCII);
  }
}
