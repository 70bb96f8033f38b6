package dev.layertrace.docker;

/** Docker's container names carry a leading {@code /} in the API; users write them without. */
final class ContainerNames {
  private ContainerNames() {}

  static String strip(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }
}
