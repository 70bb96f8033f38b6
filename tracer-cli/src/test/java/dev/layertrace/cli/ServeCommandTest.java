package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
  @TempDir
  Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void missingCapturesFolderIsAUsageErrorOnOneLine() {
    Run r = run("serve", "--captures", tmp.resolve("nope").toString(), "--port", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("layertrace: captures folder ").contains("does not exist (use --captures DIR)");
  }

  @Test
  void anAddressThatCannotBeBoundIsAUsageError() {
    // 192.0.2.1 (TEST-NET-1) is on no interface of this machine, so bind(2) fails with EADDRNOTAVAIL.
    Run r = run("serve", "--captures", tmp.toString(), "--port", "0", "--bind", "192.0.2.1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("warning: listening on 192.0.2.1").contains("layertrace: cannot listen on 192.0.2.1:0");
  }

  @Test
  void helpNamesTheOptionsAndDefaults() {
    Run r = run("serve", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("--port=N").contains("8479").contains("--captures=DIR").contains("--bind=ADDR")
        .contains("127.0.0.1").contains("--allow-live");
  }
}
