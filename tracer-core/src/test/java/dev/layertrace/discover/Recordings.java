package dev.layertrace.discover;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads host recordings from {@code resources/discover/recorded} (written by the sys root tests). */
final class Recordings {
  private Recordings() {}

  static HostRecording load(String name) {
    try (InputStream in = Recordings.class.getResourceAsStream("/discover/recorded/" + name + ".json")) {
      if (in == null) {
        throw new IllegalStateException("missing recording " + name);
      }
      return new ObjectMapper().readValue(in, HostRecording.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static DiscoveredPath resolve(String name) {
    HostView host = new DecodingHostView(load(name).replay());
    return new PathResolver(host, null).resolve(new PathRequest("lt-tdisc-ctr", "netns:lt-tdisc-ctr",
        "198.51.100.10", dev.layertrace.model.Protocol.ICMP, 0));
  }
}
