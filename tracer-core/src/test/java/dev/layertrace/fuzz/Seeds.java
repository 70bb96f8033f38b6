package dev.layertrace.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Loads the recorded fixtures under {@code src/test/resources} that the fuzzers start from. */
final class Seeds {
  private Seeds() {}

  /** Every file under classpath folder {@code dir} whose name ends with {@code suffix}, sorted by path. */
  static List<byte[]> files(String dir, String suffix) {
    URL url = Seeds.class.getResource(dir);
    if (url == null) {
      throw new IllegalStateException("no seed folder " + dir + " on the test classpath");
    }
    try (Stream<Path> s = Files.walk(Path.of(url.toURI()))) {
      List<byte[]> out = new ArrayList<>();
      for (Path p : s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList()) {
        out.add(Files.readAllBytes(p));
      }
      if (out.isEmpty()) {
        throw new IllegalStateException("no *" + suffix + " seeds under " + dir);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> texts(String dir, String suffix) {
    return files(dir, suffix).stream().map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).toList();
  }

  /** The frames of every classic pcap file (what {@code tcpdump -w} writes) under {@code dir}. */
  static List<byte[]> pcapFrames(String dir) {
    List<byte[]> frames = new ArrayList<>();
    for (byte[] file : files(dir, ".pcap")) {
      ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
      if (b.getInt(0) != 0xa1b2c3d4 && b.getInt(0) != 0xa1b23c4d) {
        b.order(ByteOrder.BIG_ENDIAN);
      }
      int pos = 24;
      while (pos + 16 <= b.limit()) {
        int caplen = b.getInt(pos + 8);
        byte[] f = new byte[caplen];
        b.get(pos + 16, f);
        frames.add(f);
        pos += 16 + caplen;
      }
    }
    return frames;
  }
}
