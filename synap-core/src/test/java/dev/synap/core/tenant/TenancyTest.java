package dev.synap.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys: stored as hashes, refused after revocation, and their last use is recorded. */
class TenancyTest {
  @TempDir Path dir;

  @Test
  void authenticationRecordsLastUseAndRevocationRefuses() throws Exception {
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(dir)) {
      Tenancy tenancy = new Tenancy(store.tenants());
      Tenancy.NewKey key = tenancy.bootstrap(RelationshipMode.B2C).firstKey().orElseThrow();
      assertThat(tenancy.keys(null).getFirst().lastUsedAt()).isNull();
      assertThat(tenancy.authenticate(key.secret())).isPresent();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (tenancy.keys(null).getFirst().lastUsedAt() == null && System.nanoTime() < deadline) Thread.sleep(10);
      assertThat(tenancy.keys(null).getFirst().lastUsedAt()).isNotNull();
      assertThat(tenancy.authenticate("sk_live_" + "0".repeat(40))).isEmpty();
      assertThat(tenancy.revoke(key.info().keyId())).isTrue();
      assertThat(tenancy.authenticate(key.secret())).isEmpty();
    }
  }
}
