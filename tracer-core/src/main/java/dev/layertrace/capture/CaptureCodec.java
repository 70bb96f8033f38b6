package dev.layertrace.capture;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.model.Capture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and writes capture files ({@code docs/capture-format.md}).
 *
 * <p>Writing is deterministic: fields in record order (or the model's {@code @JsonPropertyOrder}),
 * map keys sorted, two-space indent, {@code "\n"} line ends and a final newline, so a capture
 * written, read back and written again is byte-identical and diffs stay small.
 *
 * <p>Reading accepts any {@code 1.x} capture, ignoring fields it does not know (a later minor
 * version only adds fields), refuses another major version, and reports every problem with the
 * input as a one-line {@link LayertraceException} with exit code 2: {@code FILE:LINE:COLUMN:
 * malformed capture: REASON}. No other exception escapes for any input.
 */
public final class CaptureCodec {
  /** Larger than any real capture by far; refusing early beats running out of memory. */
  static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

  // Thread-safe and never mutated after this initializer: ObjectReader/ObjectWriter are immutable.
  private static final ObjectReader READER;
  private static final ObjectWriter WRITER;
  private static final JsonFactory FACTORY;

  static {
    JsonFactory factory = JsonFactory.builder()
        // A key given twice is ambiguous: say so instead of silently keeping the last one.
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    ObjectMapper mapper = JsonMapper.builder(factory)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        // A number where a name belongs is a mistake in the file, not something to quietly stringify.
        .withCoercionConfig(LogicalType.Textual, c -> c
            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .build();
    DefaultIndenter indent = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter pretty = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
        .withObjectIndenter(indent)
        .withArrayIndenter(indent);
    FACTORY = factory;
    READER = mapper.readerFor(Capture.class);
    WRITER = mapper.writerFor(Capture.class).with(pretty);
  }

  private CaptureCodec() {}

  /** The capture as pretty, deterministic JSON ending in a newline. */
  public static String write(Capture capture) {
    try {
      return WRITER.writeValueAsString(capture) + "\n";
    } catch (JsonProcessingException e) {
      // Only a model the mapper cannot handle gets here: a bug, not bad input.
      throw new LayertraceException(ExitCode.INTERNAL,
          "cannot write capture: " + MalformedCapture.oneLine(String.valueOf(e.getOriginalMessage())), e);
    }
  }

  /**
   * Writes the capture to {@code file} atomically: into a temporary file in the same folder, which
   * then replaces {@code file}, so a reader never sees half a capture.
   *
   * @throws LayertraceException (exit 2) when the file cannot be written
   */
  public static void write(Capture capture, Path file) {
    byte[] bytes = write(capture).getBytes(StandardCharsets.UTF_8);
    Path target = file.toAbsolutePath();
    if (Files.isDirectory(target)) {
      throw LayertraceException.usage("cannot write capture " + file + ": it is a directory");
    }
    Path dir = target.getParent();
    Path tmp = null;
    try {
      tmp = createTemp(dir, target.getFileName().toString());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      keepPermissions(target, tmp);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw LayertraceException.input("cannot write capture " + file + ": " + ioReason(e), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // Best effort: the write already failed and that is what the user needs to hear.
        }
      }
    }
  }

  /** Replacing a file should not change who may read it. */
  private static void keepPermissions(Path target, Path tmp) throws IOException {
    if (Files.exists(target) && Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
    }
  }

  /** Created with CREATE_NEW (not createTempFile) so it gets the usual umask permissions, not 0600. */
  private static Path createTemp(Path dir, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      try {
        Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return tmp;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 10) {
          throw e;
        }
      }
    }
  }

  /**
   * Reads a capture file.
   *
   * @throws LayertraceException (exit 2) when the file is missing, unreadable, malformed, of another
   *     major schema version, or violates the model's rules
   */
  public static Capture read(Path file) {
    String name = file.toString();
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw LayertraceException.usage("cannot read capture " + name + ": it is a directory");
      }
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw LayertraceException.usage("cannot read capture " + name + ": " + size
            + " bytes is more than any capture (at most " + MAX_FILE_BYTES / (1024 * 1024) + " MiB)");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw LayertraceException.input("cannot read capture " + name + ": " + ioReason(e), e);
    }
    // Bytes, not a String: Jackson then reports invalid UTF-8 with its position.
    return parse(name, () -> FACTORY.createParser(bytes));
  }

  /**
   * Reads a capture from text; {@code sourceName} stands for the file in error messages.
   *
   * @throws LayertraceException (exit 2) as {@link #read(Path)} does
   */
  public static Capture read(String json, String sourceName) {
    return parse(sourceName, () -> FACTORY.createParser(json));
  }

  /** Opens a fresh parser over the same input: the version check and the mapping each need one. */
  private interface Source {
    JsonParser open() throws IOException;
  }

  private static Capture parse(String name, Source source) {
    try {
      SchemaVersion declared;
      try (JsonParser p = source.open()) {
        declared = SchemaVersionCheck.check(name, p);
      }
      Capture c;
      try (JsonParser p = source.open()) {
        try {
          c = READER.readValue(p);
        } catch (JsonProcessingException e) {
          // Built before close(), while the parser still knows the token it stopped at.
          throw MalformedCapture.from(name, e);
        }
      }
      // A newer minor's extra fields were dropped: what we hold is what this build's version says.
      if (declared.compareTo(SchemaVersion.CURRENT) > 0) {
        c = withSchemaVersion(c, Capture.SCHEMA_VERSION);
      }
      return c;
    } catch (LayertraceException e) {
      throw e;
    } catch (JsonProcessingException e) {
      throw MalformedCapture.from(name, e);
    } catch (IOException | RuntimeException e) {
      // Parsing an in-memory source does no I/O; whatever this is, the input provoked it.
      throw MalformedCapture.at(name, null, e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
  }

  private static Capture withSchemaVersion(Capture c, String version) {
    return new Capture(version, c.toolVersion(), c.createdAt(), c.host(), c.graph(), c.probes(),
        c.observations(), c.kernelEvents(), c.findings(), c.verdicts(), c.notes());
  }

  private static String ioReason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    String m = e.getMessage();
    return MalformedCapture.oneLine(e.getClass().getSimpleName() + (m == null ? "" : ": " + m));
  }
}
