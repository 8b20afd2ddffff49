package dev.synap.bench;

import dev.synap.bench.ingest.IngestBenchCommand;
import dev.synap.bench.load.LoadBenchCommand;
import picocli.CommandLine.Command;

/** {@code synap bench ...}: benchmark programs. Each prints a table and can write JSON. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmark programs (print a table, write JSON with --out).",
    subcommands = {IngestBenchCommand.class, LoadBenchCommand.class})
public final class BenchCommand {}
