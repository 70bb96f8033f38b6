package dev.layertrace.web;

import dev.layertrace.LayertraceException;
import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.model.Capture;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The captures folder: lists its captures and loads one by id, never a file outside it. Every
 * lookup resolves the real path (following symlinks) and refuses anything that is not a regular
 * file inside the folder's own real path. Parsed captures are kept while their file's size and
 * modification time stay the same, so repeated requests cost a stat, not a parse.
 */
public final class CaptureStore {
  /** Refuse to parse anything bigger: the codec would too, but later and with more memory. */
  private static final long MAX_BYTES = 16L * 1024 * 1024;
  private static final int MAX_CACHED = 256;

  /** A capture as read from disk, with its JSON form ready to send. */
  public record Loaded(CaptureId id, Path realPath, long modifiedMs, long size, Capture capture, byte[] json) {
    /** Identifies this version of the file, for caches of derived renderings. */
    public String version() {
      return realPath + "@" + modifiedMs + ":" + size;
    }
  }

  private final Path realDir;
  private final Map<Path, Loaded> cache = new ConcurrentHashMap<>();

  /**
   * @throws LayertraceException (exit 2) when {@code dir} is not a readable directory
   */
  public CaptureStore(Path dir) {
    try {
      this.realDir = dir.toRealPath();
    } catch (IOException e) {
      throw LayertraceException.usage("captures folder " + dir + " does not exist (use --captures DIR)");
    }
    if (!Files.isDirectory(realDir)) {
      throw LayertraceException.usage("captures folder " + dir + " is not a directory");
    }
  }

  public Path directory() {
    return realDir;
  }

  /** Every capture in the folder, newest first; unreadable ones are listed with their error. */
  public List<CaptureSummary> list() {
    List<CaptureSummary> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(realDir, "*" + CaptureId.SUFFIX)) {
      for (Path f : files) {
        CaptureId id = CaptureId.ofFileName(f.getFileName().toString());
        if (id == null) {
          continue;
        }
        try {
          out.add(CaptureSummary.of(id, load(id).capture()));
        } catch (ApiError e) {
          if (e.status().code() != HttpResponseStatus.FORBIDDEN.code()
              && e.status().code() != HttpResponseStatus.NOT_FOUND.code()) {
            out.add(CaptureSummary.unreadable(id, e.getMessage()));
          }
          // Symlinks out of the folder and dangling links are not captures of this folder: not listed.
        }
      }
    } catch (IOException e) {
      throw new ApiError(HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot list the captures folder");
    }
    out.sort(Comparator.comparing((CaptureSummary s) -> s.createdAt() == null ? "" : s.createdAt()).reversed()
        .thenComparing(CaptureSummary::id));
    return out;
  }

  /**
   * The capture with this id if it is a plain file (not a link) already parsed and unchanged since:
   * one lstat, cheap enough for an event loop. Empty means "ask {@link #load}".
   */
  public Optional<Loaded> cached(CaptureId id) {
    Path file = realDir.resolve(id.fileName());
    Loaded hit = cache.get(file);
    if (hit == null) {
      return Optional.empty();
    }
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.isRegularFile() && a.lastModifiedTime().toMillis() == hit.modifiedMs() && a.size() == hit.size()) {
        return Optional.of(hit);
      }
    } catch (IOException e) {
      // gone or unreadable: load() says which
    }
    return Optional.empty();
  }

  /**
   * The capture with this id.
   *
   * @throws ApiError 404 when there is none, 403 when the file resolves outside the folder, 422 when
   *     it is not a valid capture
   */
  public Loaded load(CaptureId id) {
    Path file = realDir.resolve(id.fileName());
    if (!file.normalize().getParent().equals(realDir)) {
      throw ApiError.badRequest("invalid capture id");
    }
    // The folder's real path was resolved once and the id has no separator, so only the entry itself
    // can be a link: one lstat answers for a plain file; a symlink is resolved and must stay inside.
    Path real = file;
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attrs.isSymbolicLink()) {
        real = file.toRealPath();
        if (!realDir.equals(real.getParent())) {
          throw ApiError.forbidden("capture '" + id.value() + "' points outside the captures folder");
        }
        attrs = Files.readAttributes(real, BasicFileAttributes.class);
      }
    } catch (IOException e) {
      throw ApiError.notFound("no capture '" + id.value() + "'");
    }
    if (!attrs.isRegularFile()) {
      throw ApiError.notFound("no capture '" + id.value() + "'");
    }
    long modified = attrs.lastModifiedTime().toMillis();
    long size = attrs.size();
    Loaded cached = cache.get(real);
    if (cached != null && cached.modifiedMs() == modified && cached.size() == size) {
      return cached;
    }
    if (size > MAX_BYTES) {
      throw new ApiError(HttpResponseStatus.UNPROCESSABLE_ENTITY,
          "capture '" + id.value() + "' is larger than " + MAX_BYTES / (1024 * 1024) + " MiB");
    }
    Loaded loaded;
    try {
      String text = Files.readString(real, StandardCharsets.UTF_8);
      // The id, not the server's path, names the file in messages.
      Capture capture = CaptureCodec.read(text, id.fileName());
      loaded = new Loaded(id, real, modified, size, capture,
          CaptureCodec.write(capture).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ApiError(HttpResponseStatus.UNPROCESSABLE_ENTITY, "capture '" + id.value() + "' is not UTF-8 text");
    } catch (LayertraceException e) {
      throw new ApiError(HttpResponseStatus.UNPROCESSABLE_ENTITY, e.getMessage());
    }
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    cache.put(real, loaded);
    return loaded;
  }
}
