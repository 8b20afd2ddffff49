package dev.synap.core.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
  @TempDir Path dir;

  private Connection connect() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteSystemOfRecord.FILE_NAME));
  }

  private Map<Integer, String> recordedChecksums() throws Exception {
    Map<Integer, String> out = new LinkedHashMap<>();
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, checksum FROM schema_version ORDER BY version")) {
      while (rs.next()) out.put(rs.getInt(1), rs.getString(2));
    }
    return out;
  }

  @Test
  void everyAppliedScriptIsRecordedWithTheSha256OfItsText() throws Exception {
    new SqliteSystemOfRecord(dir).close();

    Map<Integer, String> recorded = recordedChecksums();
    assertThat(recorded.keySet()).containsExactlyElementsOf(Migrations.SCRIPTS.stream().map(Migrations::version).toList());
    for (String script : Migrations.SCRIPTS) {
      assertThat(recorded.get(Migrations.version(script))).as(script).isEqualTo(Migrations.checksum(script)).hasSize(64);
    }
  }

  @Test
  void aChangedScriptRefusesTheStartAndNamesTheVersion() throws Exception {
    new SqliteSystemOfRecord(dir).close();
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE schema_version SET checksum = 'tampered' WHERE version = 2");
    }

    assertThatThrownBy(() -> new SqliteSystemOfRecord(dir))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("migration 2 (V2__entities.sql)")
        .hasMessageContaining("changed");
  }

  @Test
  void aDatabaseFromBeforeChecksumsIsBackfilledOnItsFirstStart() throws Exception {
    new SqliteSystemOfRecord(dir).close();
    // The history table as releases without checksums left it.
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE schema_version DROP COLUMN checksum");
    }

    new SqliteSystemOfRecord(dir).close();

    Map<Integer, String> recorded = recordedChecksums();
    for (String script : Migrations.SCRIPTS) assertThat(recorded.get(Migrations.version(script))).isEqualTo(Migrations.checksum(script));
    // And from then on a change is caught.
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE schema_version SET checksum = 'x' WHERE version = 1");
    }
    assertThatThrownBy(() -> new SqliteSystemOfRecord(dir)).hasMessageContaining("migration 1 (V1__init.sql)");
  }

  @Test
  void triggerBodiesStayWholeUnderATurkishDefaultLocale() {
    Locale before = Locale.getDefault();
    try {
      // In Turkish, "trigger".toUpperCase() is "TRİGGER" (dotted capital I), which once hid the trigger.
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      List<String> statements = Migrations.statements("""
          create trigger t after insert on a begin
            update b set n = n + 1;
          end;
          create table c (x);
          """);
      assertThat(statements).hasSize(2);
      assertThat(statements.getFirst()).startsWith("create trigger").endsWith("end;");
    } finally {
      Locale.setDefault(before);
    }
  }
}
