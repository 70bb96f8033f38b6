package dev.layertrace.netfilter;

import dev.layertrace.sys.Commands;
import dev.layertrace.sys.NetfilterReader;
import dev.layertrace.sys.Netns;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds scratch namespaces ({@code lt-tnf-*}) holding the lab's netfilter rules and their faults,
 * reads them with {@link NetfilterReader} and writes the tool output as fixtures under
 * {@code src/test/resources/netfilter/SCENARIO/}. Run as root from {@code tracer-core}:
 * {@code java -cp ... dev.layertrace.netfilter.NetfilterFixtureRecorder [resources dir]}. The namespaces
 * are deleted again, also when a step fails.
 */
public final class NetfilterFixtureRecorder {
  /** The fixture files of one scenario. */
  static final String NFT = "nft.json";
  static final String IPTABLES_NFT = "iptables-nft-save.txt";
  static final String IPTABLES_LEGACY = "iptables-legacy-save.txt";

  private static final List<String> GUEST_MASQUERADE =
      List.of("-t", "nat", "-A", "POSTROUTING", "-s", "172.17.0.0/16", "!", "-o", "docker0", "-j", "MASQUERADE");
  private static final List<List<String>> GUEST_FORWARD = List.of(
      List.of("-P", "FORWARD", "DROP"),
      List.of("-A", "FORWARD", "-o", "docker0", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"),
      List.of("-A", "FORWARD", "-i", "docker0", "!", "-o", "docker0", "-j", "ACCEPT"),
      List.of("-A", "FORWARD", "-i", "docker0", "-o", "docker0", "-j", "ACCEPT"));
  private static final String SPLIT_BRAIN_TABLE = "table inet filter {\n  chain forward {\n"
      + "    type filter hook forward priority filter; policy drop;\n  }\n}\n";
  private static final String DOCKER_LIKE = String.join("\n",
      "-N DOCKER", "-N DOCKER-ISOLATION-STAGE-1", "-N DOCKER-ISOLATION-STAGE-2", "-N DOCKER-USER",
      "-P FORWARD DROP",
      "-A FORWARD -j DOCKER-USER",
      "-A FORWARD -j DOCKER-ISOLATION-STAGE-1",
      "-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
      "-A FORWARD -o docker0 -j DOCKER",
      "-A FORWARD -i docker0 ! -o docker0 -j ACCEPT",
      "-A FORWARD -i docker0 -o docker0 -j ACCEPT",
      "-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2",
      "-A DOCKER-ISOLATION-STAGE-1 -j RETURN",
      "-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP",
      "-A DOCKER-ISOLATION-STAGE-2 -j RETURN",
      "-A DOCKER-USER -j RETURN",
      "-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT",
      "-t nat -N DOCKER",
      "-t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
      "-t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
      "-t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
      "-t nat -A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE",
      "-t nat -A DOCKER -i docker0 -j RETURN",
      "-t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80");

  /** The lab's host table, as {@code LabTopology.hostNftScript()} writes it. */
  private static String hostTable(String forwardPolicy, boolean masquerade) {
    return "table ip layertrace_lab {\n"
        + "  chain forward {\n    type filter hook forward priority filter; policy " + forwardPolicy + ";\n  }\n"
        + "  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n"
        + (masquerade ? "    ip saddr 172.16.0.0/30 oifname \"uplink0\" masquerade\n" : "")
        + "  }\n}\n";
  }

  /** The recorded situations: the lab's healthy rules and the netfilter faults of its catalog. */
  enum Scenario {
    GUEST_HEALTHY("guest", "guest-healthy"),
    GUEST_NO_MASQUERADE("guest-nomasq", "guest-no-masquerade"),
    GUEST_FORWARD_DROP("guest-fwdrop", "guest-forward-drop"),
    GUEST_SPLIT_BRAIN("guest-split", "guest-split-brain"),
    GUEST_LEGACY("guest-legacy", "guest-legacy"),
    GUEST_LEGACY_SPLIT_BRAIN("guest-lsplit", "guest-legacy-split-brain"),
    GUEST_DOCKER_LIKE("guest-docker", "guest-docker-like"),
    HOST_HEALTHY("host", "host-healthy"),
    HOST_FORWARD_DROP("host-fwdrop", "host-forward-drop"),
    HOST_NO_MASQUERADE("host-nomasq", "host-no-masquerade");

    final String netns;
    final String folder;

    Scenario(String suffix, String folder) {
      this.netns = "lt-tnf-" + suffix;
      this.folder = folder;
    }

    /** The commands that install this scenario's rules, each an argv run inside the namespace. */
    List<Step> steps() {
      List<Step> s = new ArrayList<>();
      switch (this) {
        case GUEST_HEALTHY -> guest(s, "iptables", true, true);
        case GUEST_NO_MASQUERADE -> guest(s, "iptables", false, true);
        case GUEST_FORWARD_DROP -> guest(s, "iptables", true, false);
        case GUEST_SPLIT_BRAIN -> {
          guest(s, "iptables", true, true);
          s.add(new Step(List.of("nft", "-f", "-"), SPLIT_BRAIN_TABLE));
        }
        case GUEST_LEGACY -> guest(s, "iptables-legacy", true, true);
        case GUEST_LEGACY_SPLIT_BRAIN -> {
          guest(s, "iptables-legacy", true, true);
          s.add(new Step(List.of("nft", "-f", "-"), SPLIT_BRAIN_TABLE));
        }
        case GUEST_DOCKER_LIKE -> DOCKER_LIKE.lines().forEach(l -> {
          List<String> argv = new ArrayList<>(List.of("iptables"));
          argv.addAll(List.of(l.split(" ")));
          s.add(new Step(argv, null));
        });
        case HOST_HEALTHY -> s.add(new Step(List.of("nft", "-f", "-"), hostTable("accept", true)));
        case HOST_FORWARD_DROP -> s.add(new Step(List.of("nft", "-f", "-"), hostTable("drop", true)));
        case HOST_NO_MASQUERADE -> s.add(new Step(List.of("nft", "-f", "-"), hostTable("accept", false)));
        default -> throw new IllegalStateException(name());
      }
      return s;
    }

    private static void guest(List<Step> s, String tool, boolean masquerade, boolean forwardAccepts) {
      s.add(Step.of(tool, GUEST_MASQUERADE));
      if (!masquerade) {
        // As the lab's fault does: delete the rule, so the nat table and its chain stay behind.
        List<String> delete = new ArrayList<>(GUEST_MASQUERADE);
        delete.set(delete.indexOf("-A"), "-D");
        s.add(Step.of(tool, delete));
      }
      s.add(Step.of(tool, GUEST_FORWARD.get(0)));
      GUEST_FORWARD.subList(1, GUEST_FORWARD.size()).forEach(r -> s.add(Step.of(tool, r)));
      if (!forwardAccepts) {
        // The lab's guest-forward-drop deletes Docker's accept rules; the DROP policy stays.
        GUEST_FORWARD.subList(1, GUEST_FORWARD.size()).forEach(r -> {
          List<String> delete = new ArrayList<>(r);
          delete.set(0, "-D");
          s.add(Step.of(tool, delete));
        });
      }
    }
  }

  /** One command run inside the scenario's namespace, with optional stdin. */
  record Step(List<String> argv, String stdin) {
    static Step of(String tool, List<String> args) {
      List<String> argv = new ArrayList<>(List.of(tool));
      argv.addAll(args);
      return new Step(argv, null);
    }
  }

  private NetfilterFixtureRecorder() {}

  /** Creates the scenario's namespace and installs its rules; deletes it again if a step fails. */
  static Netns build(Scenario s) {
    delete(s);
    Commands.run("ip", "netns", "add", s.netns).orThrow();
    try {
      for (Step step : s.steps()) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", s.netns));
        argv.addAll(step.argv());
        Commands.run(argv, step.stdin(), Duration.ofSeconds(30)).orThrow();
      }
      return Netns.named(s.netns);
    } catch (RuntimeException e) {
      delete(s);
      throw e;
    }
  }

  /** Deletes the scenario's namespace if it exists (its rules go with it). */
  static void delete(Scenario s) {
    if (Files.exists(Netns.RUN_NETNS.resolve(s.netns))) {
      Commands.run("ip", "netns", "delete", s.netns).orThrow();
    }
  }

  /** Builds, reads and deletes the scenario's namespace. */
  static NetfilterDump record(Scenario s) {
    Netns ns = build(s);
    try {
      return NetfilterReader.dump(ns);
    } finally {
      delete(s);
    }
  }

  /** The recorded fixture of a scenario, from the test classpath. */
  static NetfilterDump load(Scenario s) {
    return new NetfilterDump(resource(s, NFT), resource(s, IPTABLES_NFT), resource(s, IPTABLES_LEGACY));
  }

  private static String resource(Scenario s, String file) {
    String name = "/netfilter/" + s.folder + "/" + file;
    try (InputStream in = NetfilterFixtureRecorder.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name + ": run NetfilterFixtureRecorder as root");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Re-records every scenario into {@code args[0]} (default {@code src/test/resources/netfilter}). */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources/netfilter");
    for (Scenario s : Scenario.values()) {
      NetfilterDump d = record(s);
      Path dir = root.resolve(s.folder);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(NFT), d.nftJson());
      Files.writeString(dir.resolve(IPTABLES_NFT), d.iptablesNftSave());
      Files.writeString(dir.resolve(IPTABLES_LEGACY), d.iptablesLegacySave());
      System.out.println("recorded " + s.folder + " from " + s.netns);
    }
  }
}
