package dev.synap.core.ingest;

import dev.synap.core.store.Stores;
import dev.synap.core.store.SystemOfRecord;
import java.nio.file.Path;

/** The shared-queue rules (leases, expiry, attempts, racing consolidation) on PostgreSQL, where several nodes really share the queue. */
class PostgresSharedQueueTest extends SharedQueueTest {
  @Override
  SystemOfRecord open(Path dir) {
    return Stores.open(dev.synap.store.postgres.PostgresTestSchemas.fresh(dir));
  }
}
