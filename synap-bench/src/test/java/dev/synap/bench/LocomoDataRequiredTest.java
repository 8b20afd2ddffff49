package dev.synap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * LoCoMo is not in the repository: each benchmark that replays it needs the file as an argument
 * and, without it, says in one line which file and where LoCoMo is published (no default path).
 */
class LocomoDataRequiredTest {
  @TempDir Path dir;

  @Test
  void everyLocomoBenchNamesTheFileItNeedsInOneLine() {
    for (String[] args : new String[][] {{"locomo"}, {"anticipation"}, {"compaction"}, {"locomo", "--data", dir.resolve("none.json").toString()}}) {
      PrintStream saved = System.err;
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status;
      try {
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        status = new CommandLine(new BenchCommand()).execute(args);
      } finally {
        System.setErr(saved);
      }
      String printed = err.toString(StandardCharsets.UTF_8);
      assertThat(status).as("exit status of bench %s", String.join(" ", args)).isEqualTo(2);
      assertThat(printed.lines()).as("what bench %s printed", String.join(" ", args)).hasSize(1);
      assertThat(printed).contains("--data FILE", "LoCoMo JSON file", "https://github.com/snap-research/locomo");
    }
  }
}
