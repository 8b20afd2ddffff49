package dev.synap.bench.restart;

import dev.synap.bench.BenchFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code synap bench restart --memories 100000 --out restart.json}: time to ready after kill -9,
 * for this build and, with {@code --server-jar base=/path/synap.jar}, for another one on the same data.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
    description = "Fills a data folder, then per server build: write, kill -9, restart, and time until the index is open and consistent.")
public final class RestartBenchCommand implements Callable<Integer> {

  @Option(names = "--memories", defaultValue = "100000", description = "Memories in the populated folder (default ${DEFAULT-VALUE}).")
  int memories;

  @Option(names = "--users", defaultValue = "1000")
  int users;

  @Option(names = "--writes", defaultValue = "200", description = "Documents written over REST before the kill (default ${DEFAULT-VALUE}).")
  int writes;

  @Option(names = "--server-jar", paramLabel = "LABEL=JAR", description = "A build to measure (repeatable; default: this jar, labelled 'this').")
  Map<String, Path> jars = new LinkedHashMap<>();

  @Option(names = "--data", description = "Folder for the populated data, reused by later runs with the same --memories (default: a temporary folder).")
  Path data;

  @Option(names = "--max-wait-seconds", defaultValue = "900", description = "Give up on a restart after this long (default ${DEFAULT-VALUE}).")
  int maxWaitSeconds;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--out", paramLabel = "FILE.json")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (memories < 1 || users < 1 || writes < 0 || maxWaitSeconds < 1) throw new IllegalArgumentException("counts must be positive");
    if (jars.isEmpty()) jars.put("this", Path.of(RestartBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    for (var e : jars.entrySet()) {
      if (!Files.isRegularFile(e.getValue())) throw new IllegalArgumentException("--server-jar " + e.getKey() + ": no file " + e.getValue());
    }
    RestartBench bench = new RestartBench(new RestartBench.Settings(seed, memories, users, writes, Duration.ofSeconds(maxWaitSeconds)), System.err);
    Path work = Files.createTempDirectory("synap-restart-");
    Path populated = data != null ? data : work.resolve("populated");
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("memories", memories);
    report.put("writes_before_kill", writes + 2);
    List<Map<String, Object>> runs = new ArrayList<>();
    try {
      Properties p = bench.populate(populated);
      for (var e : jars.entrySet()) runs.add(bench.run(e.getKey(), e.getValue(), populated, p, work));
    } finally {
      BenchFiles.deleteQuietly(work); // the populated folder survives when it was given with --data
    }
    report.put("runs", runs);
    System.out.println(table(runs));
    System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
    BenchFiles.writeJson(out, report);
    return 0;
  }

  static String table(List<Map<String, Object>> runs) {
    StringBuilder sb = new StringBuilder(String.format("%-10s %10s %8s %12s %10s%n", "build", "health s", "rebuild", "ready s", "replayed"));
    for (Map<String, Object> r : runs) {
      Object ready = r.get("ready_seconds") != null ? r.get("ready_seconds") : "> " + r.get("gave_up_after_seconds");
      sb.append(String.format("%-10s %10s %8s %12s %10s%n", r.get("build"), r.get("health_seconds"), r.get("rebuild"), ready, r.get("replayed_memories")));
    }
    return sb.toString();
  }
}
