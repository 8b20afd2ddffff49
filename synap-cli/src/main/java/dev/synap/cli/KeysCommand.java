package dev.synap.cli;

import dev.synap.core.MemoryEngine;
import dev.synap.core.store.StoreSettings;
import dev.synap.core.tenant.ApiKeyInfo;
import dev.synap.core.tenant.Instance;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.core.tenant.Tenancy;
import dev.synap.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code synap keys create|list|revoke}: works on the data folder directly, whether a server is
 * running on it or not (SQLite WAL lets both write; a running server sees new keys at once and
 * closes streams of revoked keys within seconds).
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, list and revoke API keys.",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {

  static class DataDirOption {
    @Option(names = "--data-dir", description = "Data folder (env SYNAP_DATA_DIR; default ./synap-data).")
    String dataDir;

    @Option(names = "--store-url", description = "System of record (env SYNAP_STORE_URL; default: SQLite in the data folder), e.g. jdbc:postgresql://host:5432/synap.")
    String storeUrl;

    Path resolve() {
      return config().dataDir();
    }

    /** The store the server would open with the same settings (flags, environment, properties file). */
    StoreSettings settings() {
      return config().store();
    }

    private ServerConfig config() {
      Map<String, String> flags = new HashMap<>();
      flags.put("data.dir", dataDir);
      flags.put("store.url", storeUrl);
      return ServerConfig.resolve(flags, System.getenv());
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a key and print only the key on standard output. Initialises an empty folder.")
  static final class Create implements Callable<Integer> {
    @picocli.CommandLine.Mixin DataDirOption data = new DataDirOption();

    @Option(names = "--instance", description = "Instance id (default: the first instance).")
    String instanceId;

    @Option(names = "--label", description = "A note to recognise the key by.", defaultValue = "cli")
    String label;

    @Option(names = "--mode", description = "Relationship mode when the folder is initialised: b2c or b2b.", defaultValue = "b2c")
    String mode;

    @Override
    public Integer call() {
      try (MemoryEngine engine = MemoryEngine.openForAdmin(data.settings())) {
        Tenancy tenancy = engine.tenancy();
        RelationshipMode m = RelationshipMode.parse(mode).orElseThrow(() -> new IllegalArgumentException("--mode must be b2c or b2b"));
        Tenancy.Bootstrap boot = tenancy.bootstrap(m);
        if (boot.firstKey().isPresent() && instanceId == null) {
          System.out.println(boot.firstKey().get().secret());
          return 0;
        }
        String target = instanceId != null ? instanceId : boot.instance().instanceId();
        System.out.println(tenancy.createKey(target, label).secret());
        return 0;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
  static final class ListKeys implements Callable<Integer> {
    @picocli.CommandLine.Mixin DataDirOption data = new DataDirOption();

    @Override
    public Integer call() {
      try (MemoryEngine engine = MemoryEngine.openForAdmin(data.settings())) {
        System.out.printf("%-16s %-22s %-5s %-16s %-10s %-24s %-24s %s%n", "KEY ID", "INSTANCE", "MODE", "PREFIX", "LABEL", "CREATED", "LAST USED", "REVOKED");
        for (Instance i : engine.tenancy().instances()) {
          for (ApiKeyInfo k : engine.tenancy().keys(i.instanceId())) {
            System.out.printf("%-16s %-22s %-5s %-16s %-10s %-24s %-24s %s%n", k.keyId(), k.instanceId(), i.mode().wireName(), k.prefix(),
                k.label(), k.createdAt(), k.lastUsedAt() == null ? "-" : k.lastUsedAt(), k.revokedAt() == null ? "-" : k.revokedAt());
          }
        }
        return 0;
      }
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by its key id or prefix.")
  static final class Revoke implements Callable<Integer> {
    @picocli.CommandLine.Mixin DataDirOption data = new DataDirOption();

    @Parameters(paramLabel = "KEY", description = "Key id (key_...) or prefix (sk_live_xxxxxx).")
    String key;

    @Override
    public Integer call() {
      try (MemoryEngine engine = MemoryEngine.openForAdmin(data.settings())) {
        if (!engine.tenancy().revoke(key)) {
          System.err.println("synap: no active key matches '" + key + "'");
          return 1;
        }
        System.err.println("revoked " + key);
        return 0;
      }
    }
  }
}
