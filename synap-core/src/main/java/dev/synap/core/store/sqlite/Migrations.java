package dev.synap.core.store.sqlite;

import dev.synap.core.store.jdbc.SchemaMigrations;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The SQLite schema: scripts {@code db/migration/V<n>__<name>.sql}, run and checksummed by {@link
 * SchemaMigrations} (which says why). Add a file and a line to {@link #SCRIPTS}; never edit a
 * script that has shipped. PostgreSQL has a twin of every version in its own dialect folder.
 */
final class Migrations {
  static final List<String> SCRIPTS = List.of(
      "V1__init.sql", "V2__entities.sql", "V3__ingestions_and_history.sql", "V5__compactions.sql",
      "V6__deletion_leaves_no_trace.sql", "V7__extraction_attempts.sql",
      "V10__control_plane.sql", "V11__usage_rollups.sql", "V12__memory_configs.sql", "V13__webhooks.sql",
      "V20__conversation_details.sql",
      // Several nodes (V30-V39).
      "V30__message_leases.sql", "V31__memory_vectors.sql", "V32__node_heartbeats.sql",
      "V33__compaction_claimed_at.sql",
      // Retrieval depth (V40-V44).
      "V40__entity_relations.sql");

  static final SchemaMigrations RUNNER =
      new SchemaMigrations(Migrations.class, SCRIPTS, new SchemaMigrations.Dialect("/db/migration/", null, null, true));

  private Migrations() {}

  static List<Integer> apply(Connection c) throws SQLException, IOException {
    return RUNNER.apply(c);
  }

  static int version(String script) {
    return SchemaMigrations.version(script);
  }

  static String checksum(String script) throws IOException {
    return RUNNER.checksum(script);
  }

  static List<String> statements(String sql) {
    return SchemaMigrations.statements(sql);
  }
}
