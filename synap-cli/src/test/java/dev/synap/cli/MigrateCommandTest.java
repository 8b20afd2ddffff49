package dev.synap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code synap migrate} applies what is pending, says what it applied, and finds nothing to do the second time. */
class MigrateCommandTest {
  @TempDir Path dir;

  private String run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.commandLine().execute(args)).as("exit code").isZero();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void appliesPendingVersionsOnceAndPrintsThem() {
    String first = run("migrate", "--data-dir", dir.toString());
    assertThat(first).contains("applied now: V1 V2 V3 V5 V6 V7").contains("schema versions of sqlite:");
    String second = run("migrate", "--data-dir", dir.toString());
    assertThat(second).contains("applied now: nothing (the schema was current)").contains("V1 V2 V3 V5 V6 V7");
  }
}
