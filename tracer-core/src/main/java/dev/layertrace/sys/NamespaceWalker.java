package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Runs one piece of work inside each of many network namespaces on a few platform threads of its own.
 * Each thread saves its namespace, then moves from target to target with {@code setns(2)} (no thread
 * start and exit per namespace, which is what a {@link NetnsExecutor} per namespace costs), and restores
 * the saved namespace before it ends. The threads are started per walk and never reused; a thread that
 * cannot restore its namespace logs it and ends. Sockets opened by the work stay in their namespace.
 */
public final class NamespaceWalker {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NamespaceWalker.class);

  private NamespaceWalker() {}

  /**
   * Runs {@code work} on a walker thread inside the namespace {@code where} gives for each of
   * {@code items} and returns the results in the order of {@code items}; an item whose namespace file is
   * gone (ENOENT) gets {@code null} without running the work. The first other failure (EPERM becomes
   * {@code missingPrivilege("CAP_SYS_ADMIN", ...)}) stops
   * the walk and is thrown once every thread has restored its namespace.
   */
  public static <E, T> List<T> walk(List<E> items, Function<E, Netns> where, int threads, Function<E, T> work) {
    Object[] results = new Object[items.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    int n = Math.max(1, Math.min(threads, items.size()));
    List<Thread> walkers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Thread t = new Thread(() -> walkOne(items, where, next, results, failure, work), "layertrace-walker-" + i);
      t.setDaemon(true);
      walkers.add(t);
      t.start();
    }
    boolean interrupted = false;
    for (Thread t : walkers) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
          failure.compareAndSet(null,
              new LayertraceException(ExitCode.INTERNAL, "interrupted while reading network namespaces"));
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    @SuppressWarnings("unchecked")
    List<T> out = (List<T>) Arrays.asList(results);
    return out;
  }

  /** One walker thread: save, visit targets until none are left or a failure, restore. */
  private static <E, T> void walkOne(List<E> items, Function<E, Netns> where, AtomicInteger next,
      Object[] results, AtomicReference<RuntimeException> failure, Function<E, T> work) {
    int saved;
    try {
      saved = open("/proc/thread-self/ns/net", "self");
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
      return;
    }
    try {
      for (int i = next.getAndIncrement(); i < items.size() && failure.get() == null; i = next.getAndIncrement()) {
        E item = items.get(i);
        if (enter(where.apply(item))) {
          results[i] = work.apply(item);
        }
      }
    } catch (RuntimeException | Error e) {
      failure.compareAndSet(null, e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e));
    } finally {
      restore(saved);
    }
  }

  /** Moves the calling thread into {@code ns}; false if its file is gone since the scan. */
  private static boolean enter(Netns ns) {
    int fd = Native.LIBC.open(ns.path().toString(), LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC);
    if (fd < 0) {
      SysException e = new SysException("open " + ns.path(), Native.errno());
      if (e.errno() == Errno.ENOENT) {
        return false;
      }
      if (e.isPermission()) {
        throw Native.missingPrivilege("CAP_SYS_ADMIN", "to open " + ns.path(), e);
      }
      throw e;
    }
    try {
      if (Native.LIBC.setns(fd, LinuxConstants.CLONE_NEWNET) < 0) {
        SysException e = new SysException("setns", Native.errno());
        if (e.errno() == Errno.EPERM) {
          throw Native.missingPrivilege("CAP_SYS_ADMIN", "to enter network namespace " + ns.name(), e);
        }
        throw e;
      }
      return true;
    } finally {
      Native.closeQuietly(fd);
    }
  }

  private static int open(String path, String what) {
    int fd = Native.LIBC.open(path, LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC);
    if (fd < 0) {
      SysException e = new SysException("open " + path, Native.errno());
      if (e.isPermission()) {
        throw Native.missingPrivilege("CAP_SYS_ADMIN", "to open " + path + " (" + what + ")", e);
      }
      throw e;
    }
    return fd;
  }

  private static void restore(int saved) {
    int rc = Native.LIBC.setns(saved, LinuxConstants.CLONE_NEWNET);
    int errno = rc < 0 ? Native.errno() : 0;
    Native.closeQuietly(saved);
    if (rc < 0) {
      // The thread ends right after this and is never reused, so nothing more runs in the wrong namespace.
      LOG.error("{} could not restore its network namespace ({}); the thread ends", Thread.currentThread().getName(),
          new SysException("setns", errno).getMessage());
    }
  }
}
