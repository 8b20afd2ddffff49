package dev.synap.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What every benchmark does with files: write its JSON result, remove its temporary data folder. */
public final class BenchFiles {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BenchFiles() {}

  /** Writes {@code result} as indented JSON when {@code out} is set, and says so on standard error. */
  public static void writeJson(Path out, Object result) throws IOException {
    if (out == null) return;
    JSON.writeValue(out.toFile(), result);
    System.err.println("wrote " + out);
  }

  /** Deletes a temporary folder; one left behind is harmless, so failures are ignored. */
  public static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder left behind is harmless
    }
  }
}
