package dev.synap.bench.locomo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.bench.BenchCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The ablation options every #20 measurement uses: a wrong value is one line and status 2, before any engine starts. */
class LocomoOptionsTest {
  @TempDir Path dir;

  @Test
  void anUnknownWithoutItemIsOneLineAndStatusTwo() throws IOException {
    Run r = bench("--without", "ranker,telepathy");
    assertThat(r.status).isEqualTo(2);
    assertThat(r.err.lines()).hasSize(1);
    assertThat(r.err).contains("--without telepathy is not an item", "ranker");
  }

  @Test
  void anUnknownAblationIsOneLineAndStatusTwo() throws IOException {
    Run r = bench("--ablate", "telepathy");
    assertThat(r.status).isEqualTo(2);
    assertThat(r.err.lines()).hasSize(1);
    assertThat(r.err).contains("--ablate telepathy", "ranker");
  }

  @Test
  void anUnknownSplitIsOneLineAndStatusTwo() throws IOException {
    Run r = bench("--split", "half");
    assertThat(r.status).isEqualTo(2);
    assertThat(r.err.lines()).hasSize(1);
    assertThat(r.err).contains("--split half is not a split", "tune", "holdout");
  }

  @Test
  void tuneAndHoldoutAreDisjointAndCoverTheDevFile() {
    List<String> dev = List.of("conv-26", "conv-30", "conv-41", "conv-42", "conv-43", "conv-44");
    for (String id : dev) {
      assertThat(Split.TUNE.includes(id) ^ Split.HOLDOUT.includes(id)).as(id).isTrue();
      assertThat(Split.ALL.includes(id)).isTrue();
    }
    assertThat(Split.parse("Tune")).contains(Split.TUNE);
  }

  private record Run(int status, String err) {}

  private Run bench(String... options) throws IOException {
    Path data = Files.writeString(dir.resolve("locomo.json"), "[]");
    String[] args = new String[options.length + 3];
    args[0] = "locomo";
    args[1] = "--data";
    args[2] = data.toString();
    System.arraycopy(options, 0, args, 3, options.length);
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      return new Run(new CommandLine(new BenchCommand()).execute(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(saved);
    }
  }
}
