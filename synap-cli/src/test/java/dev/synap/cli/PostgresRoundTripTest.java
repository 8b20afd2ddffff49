package dev.synap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.synap.server.SynapServer;
import dev.synap.server.config.ServerConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance moves SQLite -> PostgreSQL -> SQLite with {@code synap export} / {@code import}, and
 * every table of the last SQLite store equals the first's, row for row (memory configuration
 * versions and webhooks, with their secrets, included). Needs a database in
 * {@code SYNAP_TEST_POSTGRES_URL} (.ci/run starts one); skipped without.
 */
class PostgresRoundTripTest {
  @TempDir Path tmp;

  @Test
  void anInstanceMovesToPostgresAndBackWithEveryTableEqual() throws Exception {
    String base = System.getenv("SYNAP_TEST_POSTGRES_URL");
    assumeTrue(base != null && !base.isBlank(), "PostgreSQL round trip needs SYNAP_TEST_POSTGRES_URL (eval \"$(.ci/postgres start)\")");
    String schema = "rt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String pg = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    Path source = tmp.resolve("source"), onPostgres = tmp.resolve("pg-node"), back = tmp.resolve("back");
    Path first = tmp.resolve("from-sqlite.jsonl"), second = tmp.resolve("from-postgres.jsonl");
    String conversation = UUID.randomUUID().toString();
    String key;
    try (SynapServer server = SynapServer.start(ServerConfig.forTests(source))) {
      key = server.bootstrapKey().orElseThrow().secret();
      Rest rest = new Rest(server, key);
      rest.record(conversation, "alice", "user", "I live in Paris with my sister Melanie.");
      rest.record(conversation, "alice", "assistant", "Paris is lovely in spring.");
      rest.record(conversation, "alice", "user", "I moved to Berlin last month. Mel visits me often.");
      rest.record(UUID.randomUUID().toString(), "bob", "user", "I play the cello in an orchestra in Vienna.");
      assertThat(server.engine().awaitIdle(Duration.ofSeconds(60))).isTrue();
      rest.ok("POST", "/v1/conversations/compact", "{\"conversation_id\":\"" + conversation + "\",\"force\":true}");
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!rest.ok("GET", "/v1/conversations/" + conversation + "/compaction/status", null).contains("\"completed\"")) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(100);
      }
      ControlSetUp.apply(server, server.engine().tenancy().instances().getFirst().instanceId());
    }
    StringBuilder err = new StringBuilder();
    assertThat(BackupRestoreTest.run(err, "export", "--data-dir", source.toString(), "--with-webhook-secrets", "--to", first.toString())).as(err.toString()).isZero();
    assertThat(BackupRestoreTest.run(err, "import", "--data-dir", onPostgres.toString(), "--store-url", pg, "--from", first.toString()))
        .as(err.toString()).isZero();
    assertThat(BackupRestoreTest.run(err, "export", "--data-dir", onPostgres.toString(), "--store-url", pg, "--with-webhook-secrets", "--to",
        second.toString()))
        .as(err.toString()).isZero();
    assertThat(BackupRestoreTest.run(err, "import", "--data-dir", back.toString(), "--from", second.toString())).as(err.toString()).isZero();

    Map<String, List<String>> before = TableDump.of(source), after = TableDump.of(back);
    assertThat(before.get("memories")).isNotEmpty();
    assertThat(before.get("compactions")).isNotEmpty();
    assertThat(before.get("memory_configs")).hasSize(4);
    assertThat(before.get("webhooks")).hasSize(2);
    assertThat(after.keySet()).isEqualTo(before.keySet());
    for (String table : before.keySet()) assertThat(after.get(table)).as(table).isEqualTo(before.get(table));

    // The instance answers on PostgreSQL with its old key.
    try (SynapServer server = SynapServer.start(ServerConfig.forTests(onPostgres).withStore(
        new dev.synap.core.store.StoreSettings(onPostgres, pg, null, null, 4)))) {
      assertThat(new Rest(server, key).fetchUser("alice", "where does she live now")).contains("Berlin");
    }
  }
}
