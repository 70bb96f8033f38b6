package dev.layertrace.cli;

import dev.layertrace.LayertraceException;
import dev.layertrace.agent.AgentToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The agent's token file: read by both sides, created (mode 0600) by an agent that has none yet. */
final class AgentTokens {
  static final Path DEFAULT = Path.of("/run/layertrace/agent.token");

  private AgentTokens() {}

  static AgentToken read(Path file) {
    try {
      return new AgentToken(Files.readString(file, StandardCharsets.UTF_8));
    } catch (java.nio.file.NoSuchFileException e) {
      throw LayertraceException.usage("no agent token file " + file + " (the agent writes it when it starts; copy it"
          + " here or give --agent-token-file)");
    } catch (IOException e) {
      throw LayertraceException.input("cannot read the agent token " + file + ": " + e.getMessage(), e);
    }
  }

  /** The token in {@code file}, or a new random one written there (and {@code say} told so). */
  static AgentToken readOrCreate(Path file, java.util.function.Consumer<String> say) {
    if (Files.exists(file)) {
      return read(file);
    }
    AgentToken t = AgentToken.random();
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------"))), t.value() + "\n");
    } catch (IOException e) {
      throw LayertraceException.input("cannot write the agent token " + file + ": " + e.getMessage(), e);
    }
    say.accept("wrote a new token to " + file + " (mode 0600): give it to the tracer with --agent-token-file");
    return t;
  }
}
