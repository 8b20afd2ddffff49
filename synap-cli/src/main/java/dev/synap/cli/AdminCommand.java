package dev.synap.cli;

import dev.synap.core.MemoryEngine;
import dev.synap.core.control.AdminKeyInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code synap admin create-key|list-keys|revoke-key}: the deployment's admin credential, accepted
 * only on the {@code /dashboard/...} routes. Works on the data folder, with or without a running server.
 */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Manage the admin credential (admin API only).",
    subcommands = {AdminCommand.CreateKey.class, AdminCommand.ListKeys.class, AdminCommand.RevokeKey.class})
final class AdminCommand {
  static final String ACTOR = "cli:" + System.getProperty("user.name", "operator");

  @Command(name = "create-key", mixinStandardHelpOptions = true,
      description = "Create an admin key and print it once on standard output (only its hash is stored).")
  static final class CreateKey implements Callable<Integer> {
    @Mixin KeysCommand.DataDirOption data = new KeysCommand.DataDirOption();

    @Option(names = "--label", description = "A note to recognise the key by.", defaultValue = "admin")
    String label;

    @Override
    public Integer call() {
      try (MemoryEngine engine = MemoryEngine.openForAdmin(data.resolve())) {
        System.out.println(engine.control().createAdminKey(ACTOR, label).secret());
        return 0;
      }
    }
  }

  @Command(name = "list-keys", mixinStandardHelpOptions = true, description = "List admin keys (never their secrets).")
  static final class ListKeys implements Callable<Integer> {
    @Mixin KeysCommand.DataDirOption data = new KeysCommand.DataDirOption();

    @Override
    public Integer call() {
      try (MemoryEngine engine = MemoryEngine.openForAdmin(data.resolve())) {
        System.out.printf("%-18s %-18s %-12s %-24s %-24s %s%n", "KEY ID", "PREFIX", "LABEL", "CREATED", "LAST USED", "REVOKED");
        for (AdminKeyInfo k : engine.control().adminKeys()) {
          System.out.printf("%-18s %-18s %-12s %-24s %-24s %s%n", k.keyId(), k.prefix(), k.label(), k.createdAt(),
              k.lastUsedAt() == null ? "-" : k.lastUsedAt(), k.revokedAt() == null ? "-" : k.revokedAt());
        }
        return 0;
      }
    }
  }

  @Command(name = "revoke-key", mixinStandardHelpOptions = true, description = "Revoke an admin key by its id or prefix.")
  static final class RevokeKey implements Callable<Integer> {
    @Mixin KeysCommand.DataDirOption data = new KeysCommand.DataDirOption();

    @Parameters(paramLabel = "KEY", description = "Key id (adm_...) or prefix (sk_admin_xxxxxx).")
    String key;

    @Override
    public Integer call() {
      try (MemoryEngine engine = MemoryEngine.openForAdmin(data.resolve())) {
        if (!engine.control().revokeAdminKey(ACTOR, key)) {
          System.err.println("synap: no active admin key matches '" + key + "'");
          return 1;
        }
        System.err.println("revoked " + key);
        return 0;
      }
    }
  }
}
