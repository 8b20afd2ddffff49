package dev.synap.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.store.StoreProvider;
import dev.synap.core.store.Stores;
import dev.synap.core.store.SystemOfRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes starting together on an empty database migrate it once (pg_advisory_lock), and none of them fails. */
class PostgresMigrationLockTest {
  @TempDir Path dir;

  @Test
  void nodesStartingTogetherMigrateOnce() throws Exception {
    String url = TestDatabase.freshSchema();
    int nodes = 4;
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    try {
      List<Future<SystemOfRecord>> opened = new ArrayList<>();
      for (int i = 0; i < nodes; i++) opened.add(pool.submit((Callable<SystemOfRecord>) () -> Stores.open(TestDatabase.settings(url, dir))));
      for (Future<SystemOfRecord> f : opened) f.get().close();
    } finally {
      pool.shutdownNow();
    }
    StoreProvider.Migration again = Stores.migrate(TestDatabase.settings(url, dir));
    assertThat(again.appliedNow()).isEmpty();
    // Every shipped script, once each, in order: "V40__entity_relations.sql" is version 40.
    List<Integer> shipped = PostgresSystemOfRecord.SCRIPTS.stream().map(s -> Integer.parseInt(s.substring(1, s.indexOf("__")))).toList();
    assertThat(again.versions()).containsExactlyElementsOf(shipped).startsWith(1, 2, 3);
  }
}
