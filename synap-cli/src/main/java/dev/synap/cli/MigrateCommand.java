package dev.synap.cli;

import dev.synap.core.store.StoreProvider;
import dev.synap.core.store.StoreSettings;
import dev.synap.core.store.Stores;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code synap migrate}: applies pending schema migrations and prints the versions, for operators
 * who migrate the database before rolling out new nodes (nodes also migrate on start, under the
 * same lock, so this is never required, only earlier).
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = "Apply pending schema migrations to the store (SQLite in the data folder, or --store-url) and print the applied versions.")
final class MigrateCommand implements Callable<Integer> {
  @Mixin KeysCommand.DataDirOption data = new KeysCommand.DataDirOption();

  @Override
  public Integer call() {
    StoreSettings settings = data.settings();
    StoreProvider.Migration m = Stores.migrate(settings);
    System.out.println("applied now: " + (m.appliedNow().isEmpty() ? "nothing (the schema was current)" : names(m.appliedNow())));
    System.out.println("schema versions of " + settings + ": " + names(m.versions()));
    return 0;
  }

  private static String names(List<Integer> versions) {
    return String.join(" ", versions.stream().map(v -> "V" + v).toList());
  }
}
