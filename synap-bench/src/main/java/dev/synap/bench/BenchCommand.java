package dev.synap.bench;

import dev.synap.bench.compaction.CompactionBenchCommand;
import dev.synap.bench.ingest.IngestBenchCommand;
import picocli.CommandLine.Command;

/** {@code synap bench ...}: benchmark programs. Each prints a table and can write JSON. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmark programs (print a table, write JSON with --out).",
    subcommands = {IngestBenchCommand.class, CompactionBenchCommand.class})
public final class BenchCommand {}
