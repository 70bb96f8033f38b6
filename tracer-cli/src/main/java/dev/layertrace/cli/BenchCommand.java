package dev.layertrace.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code layertrace bench}: benchmarks that print figures for BENCHMARKS.md. Each benchmark is a
 * subcommand of its own; add one by listing its class below.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
        "Measures layertrace against a baseline and prints a table (figure | ours | baseline | ratio | target).",
        "Not a test: figures depend on the machine. Run one benchmark at a time on an idle machine.",
        "'layertrace bench all' runs them all, writes bench-results.json and regenerates BENCHMARKS.md."},
    subcommands = {
        BenchSuiteCommand.class,
        BenchRenderCommand.class,
        BenchDiscoveryCommand.class,
        BenchDoctorCommand.class,
        BenchLabCommand.class,
        BenchWebCommand.class,
        BenchTraceCommand.class,
        BenchStartupCommand.class,
        BenchScaleCommand.class,
    })
public final class BenchCommand implements Runnable {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
