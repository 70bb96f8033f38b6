package dev.layertrace.check;

import dev.layertrace.sys.SystemFactsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Records a doctor fixture from the live system: {@code java -cp TEST_CLASSPATH
 * dev.layertrace.check.FactsRecorder OUT.json [NETNS] [--without-kernel-config]}. The same snapshot as
 * {@code layertrace doctor --record-facts}, with the sandbox's own tool mounts dropped from the mount
 * tables and, with {@code --without-kernel-config}, the kernel config left out (tests then take it from
 * {@code host.json}, so each fixture does not carry another copy).
 */
public final class FactsRecorder {
  private FactsRecorder() {}

  public static void main(String[] args) throws IOException {
    boolean withoutConfig = Arrays.asList(args).contains("--without-kernel-config");
    String netns = args.length > 1 && !args[1].startsWith("--") ? args[1] : "";
    SystemFacts facts = scrub(SystemFactsReader.read(netns));
    if (withoutConfig) {
      facts = facts.withKernelConfig(FileFact.notRead(facts.kernelConfig().path()));
    }
    Files.writeString(Path.of(args[0]), SystemFactsJson.write(facts));
  }

  /** Drops mount lines of the machinery that runs this sandbox; they are not part of any system under test. */
  static SystemFacts scrub(SystemFacts facts) {
    FileFact own = facts.file(FactPaths.MOUNTINFO);
    return facts.withFiles(Map.of(FactPaths.MOUNTINFO, scrubMounts(own)))
        .withReferenceMounts(scrubMounts(facts.referenceMounts()));
  }

  private static FileFact scrubMounts(FileFact f) {
    if (!f.present()) {
      return f;
    }
    String kept = f.content().lines().filter(l -> !l.contains("/mnt/sandboxing")).collect(Collectors.joining("\n"));
    return FileFact.present(f.path(), kept + "\n");
  }
}
