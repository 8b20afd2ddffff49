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
    assertThat(again.versions()).containsExactly(1, 2, 3, 5, 6, 7);
  }
}
