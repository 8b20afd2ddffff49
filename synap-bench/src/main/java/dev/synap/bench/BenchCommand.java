package dev.synap.bench;

import dev.synap.bench.anticipation.AnticipationBenchCommand;
import dev.synap.bench.cluster.ClusterBenchCommand;
import dev.synap.bench.compaction.CompactionBenchCommand;
import dev.synap.bench.ingest.IngestBenchCommand;
import dev.synap.bench.load.LoadBenchCommand;
import dev.synap.bench.locomo.LocomoBenchCommand;
import dev.synap.bench.locomo.LocomoTrainCommand;
import dev.synap.bench.restart.RestartBenchCommand;
import dev.synap.bench.scale.ScaleBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code synap bench <name>}: the benchmark programs. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks of the memory engine.",
    subcommands = {LocomoBenchCommand.class, LocomoTrainCommand.class, ScaleBenchCommand.class, IngestBenchCommand.class, CompactionBenchCommand.class,
        AnticipationBenchCommand.class, LoadBenchCommand.class, RestartBenchCommand.class, ClusterBenchCommand.class})
public final class BenchCommand implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }

  /** Lets the benchmarks run without the CLI: {@code java -cp ... dev.synap.bench.BenchCommand locomo --data ...}. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }
}
