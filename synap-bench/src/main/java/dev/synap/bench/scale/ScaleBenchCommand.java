package dev.synap.bench.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code synap bench scale --out scale.json}: fast and accurate fetch latency and index size at 10k and 100k memories. */
@Command(name = "scale", mixinStandardHelpOptions = true,
    description = "Loads seeded synthetic memories across many users and measures fast and accurate fetch latency and index size.")
public final class ScaleBenchCommand implements Callable<Integer> {

  @Option(names = "--checkpoints", split = ",", defaultValue = "10000,100000", description = "Memory counts to measure at.")
  List<Integer> checkpoints;

  @Option(names = "--users", defaultValue = "1000")
  int users;

  @Option(names = "--queries", defaultValue = "1000", description = "Timed fetches per checkpoint.")
  int queries;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--out", paramLabel = "FILE.json")
  Path out;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> report = ScaleBench.run(new ScaleBench.Settings(seed, users, checkpoints.stream().sorted().toList(), queries), System.err);
    String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
    System.out.println(json);
    if (out != null) java.nio.file.Files.writeString(out, json);
    return 0;
  }
}
