package dev.synap.cli;

import dev.synap.core.MemoryEngine;
import dev.synap.core.store.InstanceArchive;
import dev.synap.core.tenant.Instance;
import dev.synap.core.transfer.ExportFile;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code synap export}: an instance or one user as JSON Lines, read from one snapshot while the server may run. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export an instance (tenancy, keys, messages, memories with history, entities, compactions, memory configuration versions, "
        + "webhooks) or one user's data as JSON Lines.")
final class ExportCommand implements Callable<Integer> {
  @Mixin KeysCommand.DataDirOption data = new KeysCommand.DataDirOption();

  @Option(names = "--instance", description = "Instance id (default: the only instance).")
  String instanceId;

  @Option(names = "--user", description = "Export only this user's data.")
  String userId;

  @Option(names = "--customer", description = "The user's customer (B2B).")
  String customerId;

  @Option(names = "--with-webhook-secrets", description = "Keep the webhooks' signing secrets in the file (else the import gives them new ones).")
  boolean webhookSecrets;

  @Option(names = "--to", required = true, description = "The file to write (must not exist).")
  Path to;

  @Override
  public Integer call() throws Exception {
    try (MemoryEngine engine = MemoryEngine.openForAdmin(data.settings());
        OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW)) {
      String instance = instanceId != null ? instanceId : only(engine.tenancy().instances());
      Map<String, Integer> rows = ExportFile.write(engine.store(), new InstanceArchive.Selection(instance, customerId, userId), out,
          webhookSecrets);
      System.err.println("exported " + (userId == null ? "instance " + instance : "user " + userId + " of " + instance) + " to " + to + ": " + rows);
    }
    return 0;
  }

  static String only(List<Instance> instances) {
    if (instances.size() != 1) throw new IllegalArgumentException("the folder holds " + instances.size() + " instances; name one with --instance");
    return instances.getFirst().instanceId();
  }
}
