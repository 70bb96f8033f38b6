package dev.layertrace.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.layertrace.LayertraceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Records a {@link SystemFacts} snapshot as JSON and reads it back (the doctor test fixtures). */
public final class SystemFactsJson {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT).enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private SystemFactsJson() {}

  public static String write(SystemFacts facts) {
    try {
      return JSON.writeValueAsString(facts) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SystemFacts parse(String json) {
    try {
      return JSON.readValue(json, SystemFacts.class);
    } catch (IOException e) {
      throw LayertraceException.input("not a recorded doctor snapshot: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  /** Reads a snapshot file; a usage error when it is missing or malformed. */
  public static SystemFacts read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw LayertraceException.input("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
