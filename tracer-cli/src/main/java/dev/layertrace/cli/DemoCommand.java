package dev.layertrace.cli;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.lab.ExpectedVerdict;
import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.model.Capture;
import dev.layertrace.model.Protocol;
import dev.layertrace.probe.ProbeSpec;
import dev.layertrace.render.RenderOptions;
import dev.layertrace.render.Renderer;
import dev.layertrace.render.Renderers;
import dev.layertrace.sys.LabSystem;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code layertrace demo}: builds the lab, breaks one fault (by default the guest that forgot to
 * masquerade), traces it, prints the result, writes {@code demo.svg} and the capture, heals and
 * removes the lab. Without root it replays the recorded capture of that fault from {@code captures/}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Shows layertrace on its own lab: lab up, break a fault, trace from the container to the remote, print"
            + " the verdict, write demo.svg and demo-FAULT.json, heal, lab down.",
        "Without root it replays captures/FAULT.json and says how to run it live."},
    footer = {"%nExit codes: 0 the verdict is the catalog's, 1 it is not, 2 unknown fault,"
        + " 3 no root and no recorded capture."})
public final class DemoCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--fault", paramLabel = "NAME", defaultValue = "guest-no-masquerade",
      description = "The catalog fault to show (see 'layertrace lab faults'). Default: ${DEFAULT-VALUE}.")
  String faultName;

  @Option(names = "--keep", description = "Leave the lab up and broken afterwards (heal with 'layertrace lab heal').")
  boolean keep;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "Where to write demo.svg and the capture.")
  Path out;

  @Override
  public Integer call() throws Exception {
    LabFault fault = LabFault.of(faultName).orElseThrow(() -> LayertraceException.usage("no fault '" + faultName
        + "' in the catalog (see layertrace lab faults)"));
    PrintWriter w = spec.commandLine().getOut();
    LabSystem lab = LabCommand.lab();
    LabSystem.UpResult up;
    try {
      up = lab.up();
    } catch (LayertraceException e) {
      if (e.exitCode() == ExitCode.PRIVILEGE) {
        return replay(fault, e.getMessage(), w);
      }
      throw e;
    }
    Capture capture;
    try {
      lab.breakFault(fault);
      w.println("lab: " + (up.alreadyUp() ? "already up" : "up in " + up.took().toMillis() + " ms") + "; broke "
          + fault.word() + ": " + fault.change());
      capture = TraceCommand.traceLive("netns:" + LabTopology.CTR, probeFor(fault), 1,
          TraceCommand.hostFacts("layertrace demo --fault " + fault.word()));
    } finally {
      if (!keep) {
        lab.heal(fault);
        if (!up.alreadyUp()) {
          lab.down();
        }
      }
    }
    Files.createDirectories(out);
    try (Renderers renderers = Renderers.standard()) {
      w.print(new String(renderers.choose("text", "-").renderToBytes(capture, RenderOptions.defaults()),
          StandardCharsets.UTF_8));
      Renderer svg = renderers.choose("svg", "demo.svg");
      Files.write(out.resolve("demo.svg"), svg.renderToBytes(capture, RenderOptions.defaults()));
    }
    Path json = out.resolve("demo-" + fault.word() + ".json");
    CaptureCodec.write(capture, json);
    w.println("wrote " + out.resolve("demo.svg") + " and " + json + (keep ? "; the lab stays broken: layertrace lab heal "
        + fault.word() : "; healed" + (up.alreadyUp() ? "" : " and removed the lab")));
    w.println(fault.teaches());
    w.flush();
    ExpectedVerdict want = fault.expectedVerdict();
    return want.matches(capture.verdict()) ? ExitCode.OK : ExitCode.STOPPED;
  }

  private static ProbeSpec probeFor(LabFault fault) throws Exception {
    Protocol p = fault.probe().protocol();
    int port = p == Protocol.UDP ? ProbeSpec.UDP_DEFAULT_PORT : p == Protocol.TCP ? ProbeSpec.TCP_DEFAULT_PORT : 0;
    return new ProbeSpec(p, null, (Inet4Address) InetAddress.getByName(LabTopology.REMOTE), port,
        fault.probe().size(), fault.probe().df(), 64);
  }

  /** Without root: the recorded capture of the fault, rendered, and how to run it live. */
  private int replay(LabFault fault, String why, PrintWriter w) throws Exception {
    Path recorded = Path.of("captures", fault.word() + ".json");
    if (!Files.isRegularFile(recorded)) {
      throw LayertraceException.missingFeature(why + "; and there is no recorded " + recorded
          + " to replay");
    }
    Capture c = CaptureCodec.read(recorded);
    try (Renderers renderers = Renderers.standard()) {
      w.print(new String(renderers.choose("text", "-").renderToBytes(c, RenderOptions.defaults()),
          StandardCharsets.UTF_8));
    }
    w.println("replayed " + recorded + " (recorded earlier). To run it live: sudo layertrace demo --fault "
        + fault.word());
    w.flush();
    return ExitCode.OK;
  }
}
