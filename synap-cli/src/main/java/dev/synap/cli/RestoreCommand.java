package dev.synap.cli;

import dev.synap.core.MemoryEngine;
import dev.synap.core.store.sqlite.SqliteBackup;
import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import dev.synap.core.tenant.Instance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockObtainFailedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code synap restore}: puts a backup in place and rebuilds the search index from it. Refused
 * while a server runs on the folder (it holds the index locks), and, without {@code --force}, when
 * the folder already has a store; the replaced store is kept beside it.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = "Restore a backup into a data folder (server stopped) and rebuild its search index from the restored store.")
final class RestoreCommand implements Callable<Integer> {
  @Mixin KeysCommand.DataDirOption data = new KeysCommand.DataDirOption();

  @Option(names = "--from", required = true, description = "The backup file (written by `synap backup`).")
  Path from;

  @Option(names = "--force", description = "Replace an existing store (kept as synap.db.before-restore-<millis>).")
  boolean force;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    Path dir = data.resolve();
    SqliteBackup.verify(from);
    if (Files.exists(dir.resolve(SqliteSystemOfRecord.FILE_NAME)) && !force) {
      throw new IllegalStateException(dir + " already holds a store; add --force to replace it (it is kept beside the restored one)");
    }
    refuseIfServed(dir.resolve("index"));
    SqliteBackup.Summary s = SqliteBackup.restore(from, dir);
    deleteTree(dir.resolve("index")); // it describes the replaced store
    try (MemoryEngine engine = MemoryEngine.openForAdmin(dir)) {
      for (Instance i : engine.tenancy().instances()) engine.index().rebuild(i.instanceId());
      // The index only: messages still queued in the restored store wait for the server's workers, which this process does not run.
      if (!engine.index().awaitIdle(Duration.ofHours(2))) throw new IllegalStateException("index rebuild did not finish");
    }
    System.err.printf("restored %s into %s: %d instances, %,d messages, %,d memories; index rebuilt; %.1f s%n", from, dir, s.instances(),
        s.messages(), s.memories(), (System.nanoTime() - start) / 1e9);
    return 0;
  }

  /** A running server holds each instance index's write lock; taking it briefly proves none runs. */
  static void refuseIfServed(Path index) throws IOException {
    if (!Files.isDirectory(index)) return;
    try (Stream<Path> instances = Files.list(index)) {
      for (Path p : instances.filter(Files::isDirectory).toList()) {
        try (Directory d = FSDirectory.open(p); Lock lock = d.obtainLock(IndexWriter.WRITE_LOCK_NAME)) {
          lock.ensureValid();
        } catch (LockObtainFailedException e) {
          throw new IllegalStateException("a server is running on " + index.getParent() + "; stop it before restoring");
        }
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> all = Files.walk(p)) {
      for (Path f : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }
}
