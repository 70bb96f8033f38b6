package dev.layertrace.cli;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.Version;
import dev.layertrace.discover.DecodingHostView;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.discover.RulesetHook;
import dev.layertrace.discover.PathReport;
import dev.layertrace.discover.PathRequest;
import dev.layertrace.discover.PathResolver;
import dev.layertrace.discover.SourceSpec;
import dev.layertrace.model.Capture;
import dev.layertrace.model.Protocol;
import dev.layertrace.model.Severity;
import dev.layertrace.render.RenderOptions;
import dev.layertrace.render.Renderer;
import dev.layertrace.render.Renderers;
import dev.layertrace.sys.LiveHost;
import dev.layertrace.sys.SourceResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code layertrace path --from SRC --to ADDR}: the expected path and static findings, no packet sent. */
@Command(
    name = "path",
    mixinStandardHelpOptions = true,
    description = {
        "Discovers the path a packet from SRC to ADDR should take — every layer it crosses, with each layer's"
            + " facts — and what in the configuration already looks wrong. Sends nothing.",
        "SRC is netns:NAME, pid:N, ip:ADDR (the namespace that owns the address) or container:NAME|ID."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  layertrace path --from netns:lt-ctr --to 198.51.100.10",
        "  layertrace path --from ip:172.17.0.2 --to 198.51.100.10 --proto tcp --port 443 --format json",
        "  layertrace path --from pid:4242 --to 198.51.100.10 -o path.svg",
        "",
        "Exit codes: 0 no error finding, 1 an error finding, 2 unknown source or usage, 3 missing privilege"
            + " (CAP_SYS_ADMIN to enter namespaces)."})
public final class PathCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "SRC",
      description = "netns:NAME, pid:N, ip:ADDR or container:NAME|ID (a bare NAME is a netns).")
  String from;

  @Option(names = "--to", required = true, paramLabel = "ADDR", description = "Destination IP address.")
  String to;

  @Option(names = "--proto", paramLabel = "PROTO", defaultValue = "icmp",
      description = "icmp, udp or tcp. Default: ${DEFAULT-VALUE}.")
  String proto;

  @Option(names = "--port", paramLabel = "N", defaultValue = "0", description = "Destination port (udp, tcp).")
  int port;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
      description = "text, json, capture (a capture file for 'layertrace render'), or a renderer format:"
          + " dot, svg, png, mermaid, markdown. Default: from -o's extension, else text.")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "-",
      description = "Where to write; '-' for stdout. Default: ${DEFAULT-VALUE}.")
  String output;

  @Option(names = "--docker-host", paramLabel = "URL",
      description = "Docker Engine socket for container sources (default: DOCKER_HOST, else unix:///var/run/docker.sock).")
  String dockerHost;

  @Override
  public Integer call() throws IOException {
    Protocol protocol = protocol();
    if (protocol != Protocol.ICMP && (port < 1 || port > 65535)) {
      throw LayertraceException.usage("--proto " + proto + " needs --port 1..65535");
    }
    if (!to.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
      throw LayertraceException.usage("--to '" + to + "' is not an IP address");
    }
    SourceSpec source = SourceSpec.parse(from);
    DiscoveredPath path;
    PathRequest request;
    try (LiveHost live = LiveHost.scan()) {
      String netns = new SourceResolver(live, SourceResolver.dockerSocketLookup(dockerHost)).resolve(source);
      request = new PathRequest(netns, source.toString(), to, protocol, protocol == Protocol.ICMP ? 0 : port);
      path = new PathResolver(new DecodingHostView(live), new RulesetHook(live::rulesets, live::prefetchRulesets))
          .resolve(request);
    }
    write(render(request, path));
    boolean error = path.findings().stream().anyMatch(f -> f.severity() == Severity.ERROR);
    return error ? ExitCode.STOPPED : ExitCode.OK;
  }

  private byte[] render(PathRequest request, DiscoveredPath path) {
    String f = format != null ? format.toLowerCase(java.util.Locale.ROOT)
        : output.equals("-") ? "text" : output.endsWith(".json") ? "json" : null;
    if ("text".equals(f)) {
      return PathReport.text(request, path).getBytes(StandardCharsets.UTF_8);
    }
    if ("json".equals(f)) {
      return PathReport.json(path).getBytes(StandardCharsets.UTF_8);
    }
    Capture capture = new Capture(Capture.SCHEMA_VERSION, Version.TOOL, Instant.now().toString(), null,
        path.graph(), List.of(), List.of(), List.of(), path.findings(), List.of(), path.notes());
    if ("capture".equals(f)) {
      return dev.layertrace.capture.CaptureCodec.write(capture).getBytes(StandardCharsets.UTF_8);
    }
    try (Renderers renderers = Renderers.standard()) {
      Renderer r = renderers.choose(f, output);
      return r.renderToBytes(capture, RenderOptions.defaults());
    }
  }

  private Protocol protocol() {
    try {
      return Protocol.of(proto.toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw LayertraceException.usage("--proto must be icmp, udp or tcp, not '" + proto + "'");
    }
  }

  private void write(byte[] bytes) {
    if (output.equals("-")) {
      PrintWriter out = spec.commandLine().getOut();
      out.print(new String(bytes, StandardCharsets.UTF_8));
      out.flush();
      return;
    }
    try {
      Files.write(Path.of(output), bytes);
    } catch (IOException e) {
      throw LayertraceException.input("cannot write " + output + ": " + e.getMessage(), e);
    }
  }
}
