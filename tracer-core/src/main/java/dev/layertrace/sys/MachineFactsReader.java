package dev.layertrace.sys;

import dev.layertrace.bench.MachineFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the facts {@code BENCHMARKS.md} states about the machine from {@code /proc} and
 * {@code /etc/os-release}; a fact that cannot be read is reported as unknown, never guessed.
 */
public final class MachineFactsReader {
  private MachineFactsReader() {}

  /** This machine now; the load average after the run is filled in later. */
  public static MachineFacts read() {
    List<String> cpuinfo = lines(Path.of("/proc/cpuinfo"));
    String cpu = cpuinfo.stream().filter(l -> l.startsWith("model name")).findFirst()
        .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
    boolean virtualized = cpuinfo.stream().anyMatch(l -> l.startsWith("flags") && l.contains(" hypervisor"));
    long memKiB = lines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:")).findFirst()
        .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).orElse(0L);
    String os = lines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME=")).findFirst()
        .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", "")).orElse(System.getProperty("os.name"));
    String java = System.getProperty("java.runtime.version", System.getProperty("java.version")) + " ("
        + System.getProperty("java.vm.name") + ")";
    return new MachineFacts(cpu, Runtime.getRuntime().availableProcessors(), memKiB / 1024, virtualized, os,
        System.getProperty("os.version"), java, loadAverage(), Double.NaN);
  }

  /** The 1-minute load average from {@code /proc/loadavg}, or NaN. */
  public static double loadAverage() {
    List<String> l = lines(Path.of("/proc/loadavg"));
    try {
      return l.isEmpty() ? Double.NaN : Double.parseDouble(l.get(0).split(" ")[0]);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p);
    } catch (IOException e) {
      return List.of();
    }
  }
}
