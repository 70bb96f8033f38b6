package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code layertrace path} input errors: one line on stderr, exit 2, before anything is entered. */
class PathCommandTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--from netns:lt-tdisc-nope --to 198.51.100.10 | no network namespace 'lt-tdisc-nope'",
      "--from pid:999999999 --to 198.51.100.10 | no process 999999999",
      "--from pid:abc --to 198.51.100.10 | 'abc' is not a process id",
      "--from ip:192.0.2.222 --to 198.51.100.10 | no network namespace has the address 192.0.2.222",
      "--from ip:nope --to 198.51.100.10 | 'nope' is not an IP address",
      "--from bogus:x --to 198.51.100.10 | unknown source 'bogus:x'",
      "--from netns:lt-tdisc-nope --to example.org | --to 'example.org' is not an IP address",
      "--from netns:lt-tdisc-nope --to 198.51.100.10 --proto tcp | --proto tcp needs --port",
      "--from netns:lt-tdisc-nope --to 198.51.100.10 --proto sctp --port 1 | --proto must be icmp, udp or tcp",
      "--from container:lt-tdisc-none --to 198.51.100.10 --docker-host unix:///run/lt-tdisc-no.sock"
          + " | cannot reach the Docker daemon at unix:///run/lt-tdisc-no.sock: no such socket"})
  void inputErrorsAreOneLineAndExit2(String args, String message) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = Main.run(("path " + args).split(" "), new PrintWriter(out), new PrintWriter(err));
    assertThat(rc).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains(message);
    assertThat(err.toString().strip().lines().count()).isEqualTo(1);
    assertThat(out.toString()).isEmpty();
  }
}
