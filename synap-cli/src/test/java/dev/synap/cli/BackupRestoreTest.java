package dev.synap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.store.sqlite.SqliteBackup;
import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import dev.synap.server.SynapServer;
import dev.synap.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code synap backup} while the server keeps taking writes, then {@code synap restore} into
 * another folder: the restored server holds everything acknowledged before the backup, its keys
 * work and the rebuilt index finds the memories. A restore onto a served folder is refused.
 */
class BackupRestoreTest {
  @TempDir Path tmp;

  static int run(StringBuilder err, String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      return Main.commandLine().execute(args);
    } finally {
      System.setErr(original);
      err.append(buf.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void onlineBackupRestoresIntoAnotherFolderWithARebuiltIndex() throws Exception {
    Path live = tmp.resolve("live"), restored = tmp.resolve("restored"), file = tmp.resolve("backups/synap-backup.db");
    String conversation = UUID.randomUUID().toString();
    String key;
    int before;
    try (SynapServer server = SynapServer.start(ServerConfig.forTests(live))) {
      key = server.bootstrapKey().orElseThrow().secret();
      Rest rest = new Rest(server, key);
      rest.record(conversation, "alice", "user", "My dog is called Rex and he loves the beach.");
      for (int i = 0; i < 30; i++) rest.record(conversation, "alice", "user", "Note number " + i + " about the garden shed.");
      assertThat(server.engine().awaitIdle(Duration.ofSeconds(60))).isTrue();
      before = (int) SqliteSystemOfRecord.countMessages(live);

      // Writes keep arriving while the backup runs.
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger during = new AtomicInteger();
      Thread writer = Thread.ofPlatform().start(() -> {
        try {
          while (!stop.get()) {
            rest.record(conversation, "alice", "user", "Concurrent note " + during.incrementAndGet());
          }
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      StringBuilder err = new StringBuilder();
      try {
        assertThat(run(err, "backup", "--data-dir", live.toString(), "--to", file.toString())).as(err.toString()).isZero();
      } finally {
        stop.set(true);
        writer.join();
      }
      assertThat(during.get()).isPositive();
      assertThat(err).contains("backup written to");
      SqliteBackup.Summary s = SqliteBackup.verify(file);
      assertThat(s.messages()).isGreaterThanOrEqualTo(before).isLessThanOrEqualTo(before + during.get());
      assertThat(s.memories()).isPositive();

      StringBuilder refused = new StringBuilder();
      assertThat(run(refused, "restore", "--data-dir", live.toString(), "--from", file.toString(), "--force")).isNotZero();
      assertThat(refused).contains("a server is running");
    }

    StringBuilder err = new StringBuilder();
    assertThat(run(err, "restore", "--data-dir", restored.toString(), "--from", file.toString())).as(err.toString()).isZero();
    assertThat(err).contains("index rebuilt");
    assertThat(Files.isDirectory(restored.resolve("index"))).isTrue();
    StringBuilder again = new StringBuilder();
    assertThat(run(again, "restore", "--data-dir", restored.toString(), "--from", file.toString())).isNotZero();
    assertThat(again).contains("--force");

    try (SynapServer server = SynapServer.start(ServerConfig.forTests(restored))) {
      assertThat(server.bootstrapKey()).isEmpty();
      Rest rest = new Rest(server, key); // the restored store's keys
      assertThat(rest.fetchUser("alice", "what is the dog called")).contains("Rex");
      assertThat(SqliteSystemOfRecord.countMessages(restored)).isGreaterThanOrEqualTo(before);
    }
  }
}
