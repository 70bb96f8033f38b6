package dev.layertrace.sys;

import dev.layertrace.check.FactPaths;
import dev.layertrace.check.FileFact;

/** Finds the running kernel's build configuration: {@code /proc/config.gz}, else {@code /boot/config-RELEASE}. */
public final class KernelConfigSource {
  private KernelConfigSource() {}

  /** The config's text, or a fact saying where it was looked for. */
  public static FileFact read() {
    FileFact proc = FactFiles.read("/proc/config.gz");
    if (proc.present()) {
      return proc;
    }
    String release = FactFiles.read(FactPaths.OSRELEASE).value();
    String boot = "/boot/config-" + release;
    FileFact f = FactFiles.read(boot);
    if (f.present()) {
      return f;
    }
    return new FileFact("/proc/config.gz", f.presence(), "", "no /proc/config.gz and no " + boot);
  }
}
