package dev.layertrace.cli;

import dev.layertrace.Version;
import picocli.CommandLine.IVersionProvider;

/** Prints the tool version and the Java runtime it runs on. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
        "layertrace " + Version.TOOL,
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
  }
}
