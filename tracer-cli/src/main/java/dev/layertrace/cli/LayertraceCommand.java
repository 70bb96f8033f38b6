package dev.layertrace.cli;

import picocli.CommandLine.Command;

/** The top-level {@code layertrace} command; each verb is a subcommand class of its own. */
@Command(
    name = "layertrace",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
        "Finds the layer where a container's packet stops on its way out, says why, and draws the path.",
        "Follows the packet across the container, the bridge, netfilter, NAT and — when Docker runs in a"
            + " microVM — across the VMM boundary into the host's kernel."},
    subcommands = {
        TraceCommand.class,
        AgentCommand.class,
        PathCommand.class,
        DemoCommand.class,
        DoctorCommand.class,
        LabCommand.class,
        RenderCommand.class,
        ServeCommand.class,
        CleanupCommand.class,
        BenchCommand.class,
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:reached, or nothing wrong found",
        "1:the packet stopped or its reply was lost; a check failed",
        "2:usage or input error (unknown name, malformed file)",
        "3:missing privilege or kernel feature",
        "4:internal error (a bug: please report it with --debug output)"},
    footer = {"%nSee 'layertrace COMMAND --help' for each command."})
public final class LayertraceCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** Read by {@link Main}'s error handler; inherited so it works after any subcommand. */
  @picocli.CommandLine.Option(names = "--debug", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "On an error, print the stack trace too.")
  boolean debug;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
