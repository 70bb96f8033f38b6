package dev.layertrace.check;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable snapshot of everything doctor looks at, collected once by
 * {@code dev.layertrace.sys.SystemFactsReader} and recorded as JSON for tests. What several checks
 * derive from it (the parsed kernel config, the netfilter model) is computed once, on first use.
 */
public final class SystemFacts {
  private final String netns;
  private final Map<String, FileFact> files;
  private final FileFact referenceMounts;
  private final FileFact kernelConfig;
  private final Map<String, CommandFact> commands;
  private final DockerSocketFact dockerSocket;
  // Derived, computed at most once per snapshot (benign race: both threads compute the same value).
  private volatile Optional<KernelConfig> parsedConfig;
  private volatile List<MountEntry> mounts;
  private volatile Rulesets rulesets;

  /**
   * The Docker daemon socket.
   *
   * @param path the socket path found, empty when none exists
   * @param answered true when a connect() succeeded, i.e. a daemon is listening
   * @param detail the connect error, if any
   */
  public record DockerSocketFact(String path, boolean answered, String detail) {
    public DockerSocketFact {
      path = path == null ? "" : path;
      detail = detail == null ? "" : detail;
    }
  }

  /**
   * @param netns the network namespace the netns-scoped facts come from; empty for the process's own
   * @param files what each path in {@link FactPaths} returned, keyed by that path
   * @param referenceMounts another process's {@code mountinfo} to compare with ours (its path names the
   *     process), or a fact saying why none could be read
   * @param kernelConfig the kernel's build configuration ({@code /proc/config.gz} decompressed or
   *     {@code /boot/config-RELEASE}), absent when neither exists
   * @param commands tool runs keyed by the {@code CMD_} keys of {@link FactPaths}
   * @param dockerSocket the Docker socket found and whether a daemon accepted a connection on it
   */
  @JsonCreator
  public SystemFacts(@JsonProperty("netns") String netns, @JsonProperty("files") Map<String, FileFact> files,
      @JsonProperty("referenceMounts") FileFact referenceMounts, @JsonProperty("kernelConfig") FileFact kernelConfig,
      @JsonProperty("commands") Map<String, CommandFact> commands,
      @JsonProperty("dockerSocket") DockerSocketFact dockerSocket) {
    this.netns = netns == null ? "" : netns;
    this.files = Map.copyOf(files == null ? Map.of() : files);
    this.commands = Map.copyOf(commands == null ? Map.of() : commands);
    this.referenceMounts = referenceMounts == null ? FileFact.notRead("/proc/1/mountinfo") : referenceMounts;
    this.kernelConfig = kernelConfig == null ? FileFact.notRead("/proc/config.gz") : kernelConfig;
    this.dockerSocket = dockerSocket == null ? new DockerSocketFact("", false, "not read") : dockerSocket;
  }

  @JsonProperty
  public String netns() {
    return netns;
  }

  @JsonProperty
  public Map<String, FileFact> files() {
    return new TreeMap<>(files);
  }

  @JsonProperty
  public FileFact referenceMounts() {
    return referenceMounts;
  }

  @JsonProperty
  public FileFact kernelConfig() {
    return kernelConfig;
  }

  @JsonProperty
  public Map<String, CommandFact> commands() {
    return new TreeMap<>(commands);
  }

  @JsonProperty
  public DockerSocketFact dockerSocket() {
    return dockerSocket;
  }

  /** What reading {@code path} returned; {@link FileFact.Presence#NOT_READ} when it was not collected. */
  public FileFact file(String path) {
    return files.getOrDefault(path, FileFact.notRead(path));
  }

  /** The tool run stored under {@code key}, if it was run. */
  public Optional<CommandFact> command(String key) {
    return Optional.ofNullable(commands.get(key));
  }

  /** The kernel configuration, parsed; empty when it could not be read. */
  public Optional<KernelConfig> parsedKernelConfig() {
    Optional<KernelConfig> c = parsedConfig;
    if (c == null) {
      c = kernelConfig.present() ? Optional.of(KernelConfig.parse(kernelConfig.content(), kernelConfig.path()))
          : Optional.empty();
      parsedConfig = c;
    }
    return c;
  }

  /** Our mount table, parsed (empty when unreadable). */
  public List<MountEntry> mounts() {
    List<MountEntry> m = mounts;
    if (m == null) {
      FileFact f = file(FactPaths.MOUNTINFO);
      m = f.present() ? MountEntry.parseMountinfo(f.content()) : List.of();
      mounts = m;
    }
    return m;
  }

  /** The netfilter model of the namespace, built from the tool runs. */
  Rulesets rulesets() {
    Rulesets r = rulesets;
    if (r == null) {
      r = Rulesets.build(this);
      rulesets = r;
    }
    return r;
  }

  /** The same snapshot with some files replaced; used by tests to derive variants of a recording. */
  public SystemFacts withFiles(Map<String, FileFact> replaced) {
    Map<String, FileFact> m = new TreeMap<>(files);
    m.putAll(replaced);
    return new SystemFacts(netns, m, referenceMounts, kernelConfig, commands, dockerSocket);
  }

  /** The same snapshot with another kernel configuration. */
  public SystemFacts withKernelConfig(FileFact config) {
    return new SystemFacts(netns, files, referenceMounts, config, commands, dockerSocket);
  }

  /** The same snapshot with other tool runs. */
  public SystemFacts withCommands(Map<String, CommandFact> replaced) {
    Map<String, CommandFact> m = new TreeMap<>(commands);
    m.putAll(replaced);
    return new SystemFacts(netns, files, referenceMounts, kernelConfig, m, dockerSocket);
  }

  /** The same snapshot with another reference mount table. */
  public SystemFacts withReferenceMounts(FileFact reference) {
    return new SystemFacts(netns, files, reference, kernelConfig, commands, dockerSocket);
  }

  /** The same snapshot with another Docker socket fact. */
  public SystemFacts withDockerSocket(DockerSocketFact socket) {
    return new SystemFacts(netns, files, referenceMounts, kernelConfig, commands, socket);
  }
}
