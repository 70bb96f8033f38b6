package dev.layertrace.sys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

/**
 * An iperf3 server that stays up for several runs (so that back-to-back runs never race a one-off
 * server's restart) and the TCP runs against it, each from inside a namespace: the flood of
 * {@code layertrace bench scale}. {@link #close} stops the server.
 */
public final class IperfFlood implements AutoCloseable {
  private final String serverNetns;
  private final Path serverLog;
  private final String address;
  private final int port;
  private Process server;
  private int restartCount;

  private IperfFlood(String serverNetns, Path serverLog, String address, int port) {
    this.serverNetns = serverNetns;
    this.serverLog = serverLog;
    this.address = address;
    this.port = port;
  }

  /** Starts {@code iperf3 -s} in {@code netns}, bound to {@code address}:{@code port}. */
  public static IperfFlood serve(String netns, String address, int port) {
    Commands.require("iperf3", "iperf3");
    try {
      IperfFlood f = new IperfFlood(netns, Files.createTempFile("layertrace-iperf3-", ".log"), address, port);
      f.start();
      return f;
    } catch (IOException e) {
      throw LayertraceException.missingFeature("cannot start iperf3: " + e.getMessage());
    }
  }

  private void start() throws IOException {
    server = new ProcessBuilder("ip", "netns", "exec", serverNetns, "iperf3", "-s", "-B", address, "-p",
        Integer.toString(port)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
        serverLog.toFile())).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
  }

  private void restart() {
    stop();
    try {
      start();
    } catch (IOException e) {
      throw LayertraceException.missingFeature("cannot start iperf3: " + e.getMessage());
    }
  }

  /**
   * One TCP run of {@code seconds} from {@code netns}; the receiver's bit/s. Retries while the server
   * is not listening yet or still finishing the previous run.
   */
  public double run(String netns, int seconds) {
    Commands.Result r = null;
    for (int attempt = 0; attempt < 60; attempt++) {
      r = Commands.run(List.of("ip", "netns", "exec", netns, "iperf3", "-c", address, "-p", Integer.toString(port),
          "-t", Integer.toString(seconds), "-J"), null, Duration.ofSeconds(seconds + 30L));
      OptionalDouble bps = r.ok() ? receivedBps(r.stdout()) : OptionalDouble.empty();
      if (bps.isPresent()) {
        return bps.getAsDouble();
      }
      if (!server.isAlive()) {
        restart();
        restartCount++;
      }
      sleep(100);
    }
    throw new LayertraceException(ExitCode.STOPPED, "iperf3 from " + netns + " to " + address + " failed: "
        + r.stdout().lines().filter(l -> l.contains("\"error\"")).findFirst().orElse(r.stderr().strip())
        + "; server: " + serverOutput() + "; " + listeners(serverNetns, port) + "; " + resetsNear(netns));
  }

  /**
   * The receiver's bit/s from iperf3's JSON report, if it is of a finished run: iperf3 3.12 with
   * {@code -J} exits 0 even when it could not connect (say, to a server started a moment before and not
   * listening yet), with an "error" member and an empty "end".
   */
  static OptionalDouble receivedBps(String json) {
    try {
      JsonNode report = new ObjectMapper().readTree(json);
      JsonNode received = report == null ? null : report.path("end").path("sum_received");
      return received == null || report.has("error") || received.isMissingNode() ? OptionalDouble.empty()
          : OptionalDouble.of(received.path("bits_per_second").asDouble());
    } catch (IOException e) {
      return OptionalDouble.empty();
    }
  }

  /**
   * What listens on the port in the server's namespace, and its TCP resets and listen drops: what a
   * failed run reports, so that a refusal says where it came from.
   */
  static String listeners(String serverNetns, int port) {
    String ss = Commands.run(List.of("ip", "netns", "exec", serverNetns, "ss", "-Hltn", "sport = :" + port), null,
        Duration.ofSeconds(5)).stdout().strip();
    String rsts = Commands.run(List.of("ip", "netns", "exec", serverNetns, "nstat", "-asz", "TcpOutRsts",
        "TcpExtListenDrops", "TcpExtListenOverflows"), null, Duration.ofSeconds(5)).stdout().lines()
        .filter(l -> !l.startsWith("#")).map(l -> l.strip().replaceAll("\\s+", " ")).reduce((a, b) -> a + ", " + b).orElse("-");
    return "listening in " + serverNetns + ": " + (ss.isEmpty() ? "nothing on port " + port : ss.replaceAll("\\s+", " "))
        + "; its counters: " + rsts;
  }

  /**
   * The TCP resets and ICMP unreachables sent and received, connections tried and refused, and packets
   * forwarded by the namespaces named like {@code client} (its prefix up to the last '-': the lab's), at
   * most 12: a refusal the server's namespace did not send came from one of them.
   */
  static String resetsNear(String client) {
    String prefix = client.substring(0, client.lastIndexOf('-') + 1);
    List<String> near = Commands.run("ip", "netns", "list").stdout().lines().map(l -> l.split(" ")[0])
        .filter(n -> !prefix.isEmpty() && n.startsWith(prefix)).sorted().limit(12).toList();
    StringBuilder out = new StringBuilder("counters of " + prefix + "*:");
    for (String ns : near) {
      String c = Commands.run(List.of("ip", "netns", "exec", ns, "nstat", "-asz", "TcpOutRsts", "IcmpOutDestUnreachs",
          "TcpActiveOpens", "TcpAttemptFails", "TcpInSegs", "IcmpInDestUnreachs", "IpForwDatagrams"),
          null, Duration.ofSeconds(5)).stdout().lines().filter(l -> !l.startsWith("#"))
          .map(l -> l.strip().split("\\s+")).filter(f -> f.length >= 2).map(f -> f[0] + "=" + f[1])
          .reduce((a, b) -> a + " " + b).orElse("-");
      out.append(' ').append(ns).append(" (").append(c).append(')');
    }
    return out.toString();
  }

  private String serverOutput() {
    try {
      List<String> lines = Files.readAllLines(serverLog);
      return (server.isAlive() ? "running" : "exited " + server.exitValue()) + ", "
          + String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (IOException e) {
      return "no log";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How often the server had to be started again because it had exited. */
  public int restarts() {
    return restartCount;
  }

  private void stop() {
    server.destroy();
    try {
      if (!server.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Files.deleteIfExists(serverLog);
    } catch (IOException e) {
      // a temporary file
    }
  }
}
