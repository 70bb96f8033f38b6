package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock (flock) on the lab's lock file, so that concurrent {@code lab up}, {@code down},
 * {@code break} and {@code heal} — in several shells or test JVMs — take turns. {@code lab down}
 * deletes the file while holding it; a waiter that then gets the lock on the deleted file notices
 * and locks the new one. A caller that has to wait says so on stderr, in one line.
 */
public final class LabLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private LabLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Blocks until the lab is ours. */
  public static LabLock acquire(LabRuntime runtime) {
    Path file = runtime.lockFile();
    for (int attempt = 0; attempt < 100; attempt++) {
      runtime.create();
      FileChannel ch = null;
      try {
        ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l = ch.tryLock();
        if (l == null) {
          // Another layertrace (a second shell, a test JVM) is changing the lab: say why we wait, once.
          System.err.println("layertrace: waiting for the lab lock " + file + " (another layertrace is changing"
              + " the lab)");
          l = ch.lock();
        }
        if (Files.exists(file)) {
          return new LabLock(ch, l);
        }
        l.release(); // locked a file that lab down deleted meanwhile: try the new one
        ch.close();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        closeQuietly(ch);
        throw new LayertraceException(ExitCode.INTERNAL, "the lab lock " + file + " is already held in this process"
            + " (use the LabSystem that holds it)");
      } catch (IOException e) {
        closeQuietly(ch);
        throw new UncheckedIOException("cannot lock " + file, e);
      }
    }
    throw new LayertraceException(ExitCode.INTERNAL, "could not lock " + file + " (it keeps disappearing)");
  }

  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } catch (IOException e) {
      // Closing the channel releases the lock in any case.
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }
}
