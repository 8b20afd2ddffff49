package dev.synap.cli;

import dev.synap.core.MemoryEngine;
import dev.synap.core.tenant.Instance;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code synap index rebuild}: rebuilds the search index of a data folder from its system of record. */
@Command(name = "index", mixinStandardHelpOptions = true, description = "Search index maintenance.", subcommands = IndexCommand.Rebuild.class)
final class IndexCommand {

  @Command(name = "rebuild", mixinStandardHelpOptions = true,
      description = "Rebuild the Lucene index (BM25 + vectors) from the system of record. Stop the server first.")
  static final class Rebuild implements Callable<Integer> {
    @Mixin KeysCommand.DataDirOption data = new KeysCommand.DataDirOption();

    @Option(names = "--instance", description = "Only this instance (default: all).")
    String instanceId;

    @Override
    public Integer call() throws Exception {
      long start = System.nanoTime();
      try (MemoryEngine engine = MemoryEngine.openForAdmin(data.settings())) {
        for (Instance i : engine.tenancy().instances()) {
          if (instanceId != null && !instanceId.equals(i.instanceId())) continue;
          System.err.println("rebuilding " + i.instanceId() + " ...");
          engine.index().rebuild(i.instanceId());
        }
        if (!engine.awaitIdle(Duration.ofHours(2))) throw new IllegalStateException("rebuild did not finish");
      }
      System.err.printf("index rebuilt in %.1f s%n", (System.nanoTime() - start) / 1e9);
      return 0;
    }
  }
}
