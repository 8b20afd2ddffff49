package dev.synap.cli;

import dev.synap.core.MemoryEngine;
import dev.synap.core.transfer.ImportFile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code synap import}: a file {@code synap export} wrote, into this folder's store in one
 * transaction, then the target instance's index is rebuilt. The server must be stopped: its index
 * would not know the imported memories.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Import an export file (server stopped): an instance keeps its ids and keys; into another instance (--instance) ids are remapped.")
final class ImportCommand implements Callable<Integer> {
  @Mixin KeysCommand.DataDirOption data = new KeysCommand.DataDirOption();

  @Option(names = "--from", required = true, description = "The export file.")
  Path from;

  @Option(names = "--instance", description = "Target instance (default: the file's own instance, created when missing).")
  String instanceId;

  @Override
  public Integer call() throws Exception {
    Path dir = data.resolve();
    RestoreCommand.refuseIfServed(dir.resolve("index"));
    try (MemoryEngine engine = MemoryEngine.openForAdmin(data.settings()); InputStream in = Files.newInputStream(from)) {
      ImportFile.Imported done = ImportFile.read(engine.store(), in, instanceId);
      engine.index().rebuild(done.instanceId());
      // The index only: messages still queued in the restored store wait for the server's workers, which this process does not run.
      if (!engine.index().awaitIdle(Duration.ofHours(2))) throw new IllegalStateException("index rebuild did not finish");
      System.err.println("imported " + done.scope() + " into instance " + done.instanceId() + (done.remapped() ? " (ids remapped)" : "") + ": "
          + done.rows() + "; index rebuilt");
      // Shown once, on standard output like every other new secret: the receivers must be given them.
      for (ImportFile.NewWebhookSecret w : done.newWebhookSecrets()) {
        System.out.println("webhook " + w.webhookId() + " " + w.url() + ": new signing secret " + w.secret());
      }
    }
    return 0;
  }
}
