package dev.layertrace.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * The entry point {@code lab up} starts the VMM relay with: the {@code lab vmm} command alone, without
 * building the whole command tree, so the relay starts fast and depends on nothing but itself. Its
 * command line still reads {@code … lab vmm …}, which is how {@code lab down} recognises it.
 */
public final class VmmRelayMain {
  private VmmRelayMain() {}

  public static void main(String[] args) {
    String[] rest = args.length >= 2 && args[0].equals("lab") && args[1].equals("vmm")
        ? Arrays.copyOfRange(args, 2, args.length) : args;
    CommandLine cmd = new CommandLine(new LabCommand.Vmm());
    cmd.setOut(new PrintWriter(System.out, true));
    cmd.setErr(new PrintWriter(System.err, true));
    System.exit(cmd.execute(rest));
  }
}
