package dev.synap.cli;

import dev.synap.core.store.sqlite.SqliteBackup;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code synap backup}: a consistent copy of the embedded store, taken while the server runs. */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = "Write a consistent online backup of the data folder's SQLite store (VACUUM INTO); the server may keep running.")
final class BackupCommand implements Callable<Integer> {
  @Mixin KeysCommand.DataDirOption data = new KeysCommand.DataDirOption();

  @Option(names = "--to", required = true, description = "The backup file to write (must not exist).")
  Path to;

  @Override
  public Integer call() {
    long start = System.nanoTime();
    SqliteBackup.Summary s = SqliteBackup.backup(data.resolve(), to);
    System.err.printf("backup written to %s: %,d bytes, %d instances, %,d messages, %,d memories, %.1f s%n", to, s.bytes(), s.instances(),
        s.messages(), s.memories(), (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
