package dev.layertrace.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.LayertraceException;
import dev.layertrace.ExitCode;
import dev.layertrace.netfilter.Backend;
import dev.layertrace.netfilter.IptablesSaveParser;
import dev.layertrace.netfilter.NetfilterParseException;
import dev.layertrace.netfilter.NftJsonParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzes the nft JSON reader and the iptables-save reader with the rulesets recorded from the lab
 * (resources/netfilter) as seeds: JSON-aware and byte mutations, truncation, and generated text.
 * Only {@link NetfilterParseException} (a LayertraceException, exit 2) may escape.
 * Bound: 6 properties × 1000–1500 tries, at most 10 s per reader.
 */
class NetfilterParsersFuzzTest {
  private static final List<String> NFT = Seeds.texts("/netfilter", "nft.json");
  private static final List<String> SAVE = Seeds.texts("/netfilter", "-save.txt");
  /** Words iptables-save prints; splicing them in reaches the option parser rather than the tokenizer. */
  private static final List<String> SAVE_WORDS = List.of("*filter", "*nat", "COMMIT", ":FORWARD DROP [0:0]",
      ":X - [0:0]", "-A", "-I", "-N", "-P", "-j", "-g", "-s", "-d", "-i", "-o", "!", "-p", "tcp", "udp", "icmp",
      "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "--dport", "1:", "MASQUERADE", "DNAT",
      "--to-destination", "172.17.0.2:80", "10.0.0.0/33", "300.1.1.1", "\"", "'", "#", "[", "]", "-", "--", "");
  private static final FuzzHarness NFT_HARNESS = new FuzzHarness("nft-json",
      NetfilterParsersFuzzTest::documented, Duration.ofSeconds(10));
  private static final FuzzHarness SAVE_HARNESS = new FuzzHarness("iptables-save",
      NetfilterParsersFuzzTest::documented, Duration.ofSeconds(10));

  static boolean documented(Throwable t) {
    return t instanceof NetfilterParseException
        || t instanceof LayertraceException le && le.exitCode() == ExitCode.USAGE;
  }

  @AfterContainer
  static void report() {
    System.out.println(NFT_HARNESS.summary());
    System.out.println(SAVE_HARNESS.summary());
    NFT_HARNESS.close();
    SAVE_HARNESS.close();
  }

  @Property(tries = 1500)
  void nftJsonWithMutatedStructure(@ForAll("nftSeed") int seed, @ForAll("ops") List<Integer> ops) {
    String input = JsonMutations.apply(NFT.get(seed), ops);
    NFT_HARNESS.check("nft seed " + seed + " json ops " + ops, () -> NftJsonParser.parse(input).toString());
  }

  @Property(tries = 1000)
  void nftJsonWithMutatedBytes(@ForAll("nftSeed") int seed, @ForAll("ops") List<Integer> ops) {
    String input = new String(Mutations.apply(NFT.get(seed).getBytes(StandardCharsets.UTF_8), ops),
        StandardCharsets.UTF_8);
    NFT_HARNESS.check("nft seed " + seed + " byte ops " + ops, () -> NftJsonParser.parse(input).toString());
  }

  @Property(tries = 1000)
  void nftJsonTruncatedOrGenerated(@ForAll("nftSeed") int seed, @ForAll("fraction") double fraction,
      @ForAll("text") String generated) {
    String s = NFT.get(seed);
    String cut = s.substring(0, (int) (s.length() * fraction));
    NFT_HARNESS.check("nft seed " + seed + " cut at " + cut.length(), () -> NftJsonParser.parse(cut));
    NFT_HARNESS.check("generated " + generated, () -> NftJsonParser.parse(generated));
  }

  @Property(tries = 1500)
  void iptablesSaveWithSplicedLines(@ForAll("saveSeed") int seed, @ForAll("ops") List<Integer> ops,
      @ForAll("backend") Backend backend) {
    String input = spliceLines(SAVE.get(seed), ops);
    SAVE_HARNESS.check("save seed " + seed + " line ops " + ops,
        () -> IptablesSaveParser.parse(input, backend).toString());
  }

  @Property(tries = 1000)
  void iptablesSaveWithMutatedBytes(@ForAll("saveSeed") int seed, @ForAll("ops") List<Integer> ops,
      @ForAll("backend") Backend backend) {
    String input = new String(Mutations.apply(SAVE.get(seed).getBytes(StandardCharsets.UTF_8), ops),
        StandardCharsets.UTF_8);
    SAVE_HARNESS.check("save seed " + seed + " byte ops " + ops, () -> IptablesSaveParser.parse(input, backend));
  }

  @Property(tries = 1000)
  void iptablesSaveTruncatedOrGenerated(@ForAll("saveSeed") int seed, @ForAll("fraction") double fraction,
      @ForAll("text") String generated, @ForAll("backend") Backend backend) {
    String s = SAVE.get(seed);
    String cut = s.substring(0, (int) (s.length() * fraction));
    SAVE_HARNESS.check("save seed " + seed + " cut at " + cut.length(), () -> IptablesSaveParser.parse(cut, backend));
    SAVE_HARNESS.check("generated " + generated, () -> IptablesSaveParser.parse(generated, backend));
  }

  @Property(tries = 1)
  void seedsParse() {
    NFT.forEach(s -> assertThat(NftJsonParser.parse(s)).isNotNull());
    SAVE.forEach(s -> assertThat(IptablesSaveParser.parse(s, Backend.IPTABLES_NFT)).isNotNull());
  }

  /**
   * Line-level edits decoded from each op: drop a line, duplicate it, cut it short, or replace one of
   * its words with a word iptables-save uses (often in the wrong place).
   */
  static String spliceLines(String text, List<Integer> ops) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    for (int op : ops) {
      if (lines.isEmpty()) {
        lines.add(SAVE_WORDS.get(Math.floorMod(op, SAVE_WORDS.size())));
        continue;
      }
      int i = Math.floorMod(op >>> 2, lines.size());
      String line = lines.get(i);
      int arg = op >>> 12;
      switch (Math.floorMod(op, 4)) {
        case 0 -> lines.remove(i);
        case 1 -> lines.add(i, line);
        case 2 -> lines.set(i, line.substring(0, Math.floorMod(arg, line.length() + 1)));
        default -> {
          List<String> words = new ArrayList<>(Arrays.asList(line.split(" ", -1)));
          int w = Math.floorMod(arg, words.size());
          words.set(w, SAVE_WORDS.get(Math.floorMod(arg >>> 6, SAVE_WORDS.size())));
          lines.set(i, String.join(" ", words));
        }
      }
    }
    return String.join("\n", lines);
  }

  @Provide
  Arbitrary<Integer> nftSeed() {
    return Arbitraries.integers().between(0, NFT.size() - 1);
  }

  @Provide
  Arbitrary<Integer> saveSeed() {
    return Arbitraries.integers().between(0, SAVE.size() - 1);
  }

  @Provide
  Arbitrary<List<Integer>> ops() {
    return Arbitraries.integers().list().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<Double> fraction() {
    return Arbitraries.doubles().between(0, 1);
  }

  @Provide
  Arbitrary<Backend> backend() {
    return Arbitraries.of(Backend.class);
  }

  /** Short texts over the characters that matter to both formats, and some that never should appear. */
  @Provide
  Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("{}[]:,\"\\ -*!#/.0123456789abcnftACDMOPRT\n\t\u0000ü").ofMaxLength(120),
        Arbitraries.of(SAVE_WORDS).list().ofMaxSize(20).map(ws -> String.join(" ", ws)),
        Arbitraries.strings().all().ofMaxLength(60));
  }
}
