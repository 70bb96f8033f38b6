package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One dedicated platform thread that lives in a network namespace. {@code setns(2)} moves only the
 * calling thread, so namespace work must never run on a shared pool: this thread saves its own
 * namespace ({@code /proc/thread-self/ns/net}), enters the target, runs the submitted tasks one by one,
 * and restores the saved namespace in {@code finally} when closed. If it cannot restore it dies with an
 * error; it is never reused. Sockets and taps opened on it stay in the namespace after it is gone.
 */
public final class NetnsExecutor implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NetnsExecutor.class);
  private static final long CLOSE_WAIT_MS = 5_000;

  private final Netns netns;
  private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final Object lock = new Object();
  private boolean closed; // guarded by lock: no task is queued after the stop marker
  private volatile long restoredInode; // for tests: the namespace the thread was in after restoring

  private NetnsExecutor(Netns netns, CompletableFuture<Void> entered) {
    this.netns = netns;
    this.thread = new Thread(() -> live(entered), "layertrace-netns-" + netns.name());
    thread.setDaemon(true);
  }

  /**
   * Starts the thread and moves it into {@code ns}. EPERM becomes
   * {@code missingPrivilege("CAP_SYS_ADMIN", ...)}; a file that is not a network namespace gives a
   * {@link SysException} with EINVAL.
   */
  public static NetnsExecutor enter(Netns ns) {
    CompletableFuture<Void> entered = new CompletableFuture<>();
    NetnsExecutor executor = new NetnsExecutor(ns, entered);
    executor.thread.start();
    try {
      entered.get();
    } catch (ExecutionException e) {
      throw unchecked(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.close();
      throw new LayertraceException(ExitCode.INTERNAL, "interrupted while entering network namespace " + ns.name());
    }
    return executor;
  }

  public Netns netns() {
    return netns;
  }

  /**
   * Runs {@code task} on the namespace thread and returns its result. Its exceptions come back as they
   * are when unchecked ({@link LayertraceException}, {@link SysException}), checked ones wrapped
   * ({@link UncheckedIOException} for I/O). Called from the namespace thread itself, it runs inline.
   */
  public <T> T call(Callable<T> task) {
    if (Thread.currentThread() == thread) {
      try {
        return task.call();
      } catch (Exception e) {
        throw unchecked(e);
      }
    }
    FutureTask<T> future = new FutureTask<>(task);
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the executor for network namespace " + netns.name() + " is closed");
      }
      tasks.add(future);
    }
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw unchecked(e.getCause());
    } catch (CancellationException e) {
      throw new IllegalStateException("the executor for network namespace " + netns.name() + " stopped", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LayertraceException(ExitCode.INTERNAL, "interrupted while working in network namespace " + netns.name());
    }
  }

  /** Runs {@code task} on the namespace thread and waits for it. */
  public void run(Runnable task) {
    call(() -> {
      task.run();
      return null;
    });
  }

  /**
   * Stops the thread after the tasks already queued; it restores its original namespace on the way
   * out. Waits up to 5 s for it (not when called from the namespace thread itself). Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      tasks.add(Stop.INSTANCE);
    }
    if (Thread.currentThread() != thread) {
      try {
        thread.join(CLOSE_WAIT_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        LOG.warn("{} still busy {} ms after close; it stops after its current task", thread.getName(), CLOSE_WAIT_MS);
      }
    }
  }

  /** The namespace inode the thread was back in after closing (0 before, or if it could not restore). */
  long restoredInode() {
    return restoredInode;
  }

  /** The namespace thread, for tests. */
  Thread thread() {
    return thread;
  }

  @Override
  public String toString() {
    return "NetnsExecutor[" + netns.name() + "]";
  }

  /** The thread's whole life: save, enter, serve, restore; then it ends, restored or not. */
  private void live(CompletableFuture<Void> entered) {
    int saved;
    try {
      saved = openNamespace("/proc/thread-self/ns/net");
    } catch (Throwable e) { // also an Error such as a failed libc binding: the caller must not wait forever
      entered.completeExceptionally(e);
      return;
    }
    try {
      enterTarget();
    } catch (Throwable e) {
      Native.closeQuietly(saved);
      entered.completeExceptionally(e);
      return;
    }
    try {
      entered.complete(null);
      serve();
    } finally {
      restore(saved);
    }
  }

  private void enterTarget() {
    int target = openNamespace(netns.path().toString());
    try {
      if (Native.LIBC.setns(target, LinuxConstants.CLONE_NEWNET) < 0) {
        SysException e = new SysException("setns", Native.errno());
        if (e.errno() == Errno.EPERM) {
          throw Native.missingPrivilege("CAP_SYS_ADMIN", "to enter network namespace " + netns.name(), e);
        }
        throw e;
      }
    } finally {
      Native.closeQuietly(target);
    }
  }

  private void serve() {
    while (true) {
      Runnable task;
      try {
        task = tasks.take();
      } catch (InterruptedException e) {
        continue; // only close() ends the thread, so that no queued caller is left waiting forever
      }
      if (task == Stop.INSTANCE) {
        return;
      }
      task.run(); // a FutureTask: it keeps the task's exception for the caller
    }
  }

  private void restore(int saved) {
    int rc = Native.LIBC.setns(saved, LinuxConstants.CLONE_NEWNET);
    int errno = rc < 0 ? Native.errno() : 0;
    Native.closeQuietly(saved);
    if (rc == 0) {
      try {
        restoredInode = Netns.currentThreadInode();
      } catch (SysException e) {
        LOG.debug("cannot stat the restored namespace of {}: {}", thread.getName(), e.getMessage());
      }
    }
    if (rc < 0) {
      // The thread ends right after this (it is never pooled or reused), so it can run nothing more in
      // the wrong namespace; say so instead of printing a stack trace.
      LOG.error("{} could not restore its network namespace ({}); the thread ends", thread.getName(),
          new SysException("setns", errno).getMessage());
    }
  }

  /** open(2) of a namespace file, read-only and close-on-exec, as setns needs a descriptor. */
  private int openNamespace(String path) {
    int fd = Native.LIBC.open(path, LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC);
    if (fd < 0) {
      SysException e = new SysException("open " + path, Native.errno());
      if (e.errno() == Errno.ENOENT) {
        throw LayertraceException.usage("no network namespace '" + netns.name() + "' (" + path + " does not exist)");
      }
      if (e.isPermission()) {
        throw Native.missingPrivilege("CAP_SYS_ADMIN", "to open " + path, e);
      }
      throw e;
    }
    return fd;
  }

  private static RuntimeException unchecked(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error err) {
      throw err;
    }
    if (t instanceof IOException io) {
      return new UncheckedIOException(io);
    }
    return new IllegalStateException(t.getMessage(), t);
  }

  /** The marker that ends the thread's task loop. */
  private enum Stop implements Runnable {
    INSTANCE;

    @Override
    public void run() {}
  }
}
