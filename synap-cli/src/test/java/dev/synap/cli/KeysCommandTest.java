package dev.synap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keys create} prints only the key, so a script can capture it; list and revoke complete the set. */
class KeysCommandTest {
  @TempDir Path dir;

  private String run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = Main.commandLine().execute(args);
      assertThat(code).as("exit code of %s", String.join(" ", args)).isZero();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void createInitialisesAnEmptyFolderAndPrintsOnlyTheKey() {
    String first = run("keys", "create", "--data-dir", dir.toString());
    String second = run("keys", "create", "--data-dir", dir.toString(), "--label", "ci");
    assertThat(first).matches("sk_live_[0-9a-f]{40}\\n");
    assertThat(second).matches("sk_live_[0-9a-f]{40}\\n").isNotEqualTo(first);

    String list = run("keys", "list", "--data-dir", dir.toString());
    assertThat(list).contains("bootstrap").contains("ci").doesNotContain(first.strip()).doesNotContain(second.strip());

    String prefix = second.strip().substring(0, 14);
    run("keys", "revoke", "--data-dir", dir.toString(), prefix);
    String after = run("keys", "list", "--data-dir", dir.toString());
    assertThat(after.lines().filter(l -> l.contains(prefix)).findFirst().orElseThrow()).doesNotEndWith(" -");
  }
}
