package dev.layertrace.sys;

/**
 * A network namespace a test creates with {@code ip netns add} and deletes on {@link #close()}, even
 * after a failure. Names carry this suite's {@code lt-tsys-} prefix; a leftover from a killed run is
 * removed first.
 */
final class ScratchNetns implements AutoCloseable {
  private final String name;

  private ScratchNetns(String name) {
    this.name = name;
  }

  /** Creates {@code lt-tsys-SUFFIX} with its loopback up. */
  static ScratchNetns create(String suffix) {
    String name = "lt-tsys-" + suffix;
    Commands.run("ip", "netns", "del", name); // a leftover of a killed run; fails harmlessly when absent
    Commands.run("ip", "netns", "add", name).orThrow();
    Commands.run("ip", "-n", name, "link", "set", "lo", "up").orThrow();
    return new ScratchNetns(name);
  }

  String name() {
    return name;
  }

  Netns netns() {
    return Netns.named(name);
  }

  /** Runs {@code ip -n NAME ARGS...} and returns its output; fails the test if it fails. */
  String ip(String... args) {
    String[] argv = new String[args.length + 3];
    argv[0] = "ip";
    argv[1] = "-n";
    argv[2] = name;
    System.arraycopy(args, 0, argv, 3, args.length);
    return Commands.run(argv).orThrow().stdout();
  }

  @Override
  public void close() {
    Commands.run("ip", "netns", "del", name);
  }
}
