package dev.synap.bench.locomo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code synap bench locomo --data locomo-dev.json --out locomo.json}. */
@Command(name = "locomo", mixinStandardHelpOptions = true,
    description = "Evidence recall of the memory engine on LoCoMo, against BM25 and dense baselines over raw turns.")
public final class LocomoBenchCommand implements Callable<Integer> {

  @Option(names = "--data", required = true, paramLabel = "FILE", description = "LoCoMo JSON file (a list of samples).")
  Path data;

  @Option(names = "--out", paramLabel = "FILE.json", description = "Where to write the results as JSON.")
  Path out;

  @Option(names = "--conversations", paramLabel = "N", defaultValue = "0", description = "Only the first N conversations (0 = all).")
  int conversations;

  @Override
  public Integer call() throws Exception {
    LocomoBench.Report report = LocomoBench.run(data, conversations, System.err);
    System.out.println(report.table());
    if (out != null) {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report.json());
      System.err.println("wrote " + out);
    }
    return 0;
  }
}
