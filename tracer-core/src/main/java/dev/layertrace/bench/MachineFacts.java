package dev.layertrace.bench;

import java.util.Locale;

/**
 * The machine a suite ran on, as read from the system at the time of the run.
 *
 * @param cpu the CPU's model name
 * @param cores online processors
 * @param memoryMiB total memory
 * @param virtualized whether the CPU reports a hypervisor
 * @param os the distribution's pretty name
 * @param kernel the kernel release
 * @param java the JVM's version and name
 * @param loadBefore the 1-minute load average before the suite
 * @param loadAfter the 1-minute load average after it
 */
public record MachineFacts(String cpu, int cores, long memoryMiB, boolean virtualized, String os, String kernel,
    String java, double loadBefore, double loadAfter) {

  /** One line: {@code Debian GNU/Linux 12, kernel 6.1, 2 × AMD EPYC (virtualized), 24 GiB, OpenJDK 17}. */
  public String describe() {
    return String.format(Locale.ROOT, "%s, kernel %s, %d cores of %s%s, %.1f GiB memory, Java %s",
        os, kernel, cores, cpu, virtualized ? " (virtual machine)" : "", memoryMiB / 1024.0, java);
  }

  /** The same facts with the load average after the run filled in. */
  public MachineFacts withLoadAfter(double load) {
    return new MachineFacts(cpu, cores, memoryMiB, virtualized, os, kernel, java, loadBefore, load);
  }
}
