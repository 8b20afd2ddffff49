package dev.synap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.MemoryEngine;
import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.core.tenant.Tenancy;
import dev.synap.server.SynapServer;
import dev.synap.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code synap export} / {@code import}: an instance moves to another data folder with every table
 * equal, row for row (SQLite to SQLite here; PostgreSQL plugs into the same archive SPI); one
 * user's data goes into another instance with new ids and nothing else of the source.
 */
class ExportImportRoundTripTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @Test
  void anInstanceMovesWithEveryTableEqualAndAUserMovesIntoAnotherInstance() throws Exception {
    Path source = tmp.resolve("source"), target = tmp.resolve("target");
    Path instanceFile = tmp.resolve("instance.jsonl"), aliceFile = tmp.resolve("alice.jsonl");
    String conversation = UUID.randomUUID().toString();
    String key;
    try (SynapServer server = SynapServer.start(ServerConfig.forTests(source))) {
      key = server.bootstrapKey().orElseThrow().secret();
      Rest rest = new Rest(server, key);
      rest.record(conversation, "alice", "user", "I live in Paris with my sister Melanie.");
      rest.record(conversation, "alice", "assistant", "Paris is lovely in spring.");
      rest.record(conversation, "alice", "user", "I moved to Berlin last month. Mel visits me often.");
      rest.record(conversation, "alice", "user", "My favourite food is ramen and I work at Acme as an engineer.");
      rest.record(UUID.randomUUID().toString(), "bob", "user", "I play the cello in an orchestra in Vienna.");
      assertThat(server.engine().awaitIdle(Duration.ofSeconds(60))).isTrue();
      rest.ok("POST", "/v1/conversations/compact", "{\"conversation_id\":\"" + conversation + "\",\"strategy\":\"balanced\",\"force\":true}");
      awaitCompaction(rest, conversation);
      JsonNode memories = JSON.readTree(rest.ok("GET", "/api/v1/memories?user_id=alice&status=all", null)).get("memories");
      assertThat(memories.size()).isGreaterThan(2);
      String edited = memories.get(memories.size() - 1).get("memory_id").asText();
      rest.ok("PATCH", "/api/v1/memories/" + edited, "{\"document\":\"Alice enjoys hiking.\",\"merge_strategy\":\"append\"}");
      assertThat(server.engine().awaitIdle(Duration.ofSeconds(60))).isTrue();

      // Exported while the server runs: one snapshot.
      StringBuilder err = new StringBuilder();
      assertThat(BackupRestoreTest.run(err, "export", "--data-dir", source.toString(), "--to", instanceFile.toString())).as(err.toString()).isZero();
    }
    Map<String, List<String>> before = TableDump.of(source);
    assertThat(before.get("compactions")).isNotEmpty();
    assertThat(before.get("memory_history").size()).isGreaterThan(before.get("memories").size());
    assertThat(before.get("entity_aliases")).isNotEmpty();

    StringBuilder err = new StringBuilder();
    assertThat(BackupRestoreTest.run(err, "import", "--data-dir", target.toString(), "--from", instanceFile.toString())).as(err.toString()).isZero();
    Map<String, List<String>> after = TableDump.of(target);
    assertThat(after.keySet()).isEqualTo(before.keySet());
    for (String table : before.keySet()) assertThat(after.get(table)).as(table).isEqualTo(before.get(table));
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(target)) {
      assertThat(store.archive().schemaTables()).as("every table is exported").containsExactlyInAnyOrderElementsOf(store.archive().tables());
    }

    // The moved instance answers with its old key, through its rebuilt index.
    try (SynapServer server = SynapServer.start(ServerConfig.forTests(target))) {
      assertThat(new Rest(server, key).fetchUser("alice", "where does she live now")).contains("Berlin");
    }

    // One user's data into another instance of the same folder: new ids, the target's instance id.
    String otherKey;
    try (MemoryEngine engine = MemoryEngine.openForAdmin(target)) {
      String other = engine.tenancy().createInstance("other", RelationshipMode.B2C).instanceId();
      Tenancy.NewKey k = engine.tenancy().createKey(other, "test");
      otherKey = k.secret();
      Files.writeString(tmp.resolve("other-instance"), other);
    }
    String other = Files.readString(tmp.resolve("other-instance"));
    assertThat(BackupRestoreTest.run(err, "export", "--data-dir", target.toString(), "--instance", instanceOf(instanceFile), "--user", "alice",
        "--to", aliceFile.toString())).as(err.toString()).isZero();
    assertThat(Files.readString(aliceFile)).doesNotContain("cello").doesNotContain("key_hash");
    assertThat(BackupRestoreTest.run(err, "import", "--data-dir", target.toString(), "--from", aliceFile.toString(), "--instance", other))
        .as(err.toString()).isZero();
    Map<String, List<String>> withCopy = TableDump.of(target);
    StringBuilder twice = new StringBuilder();
    assertThat(BackupRestoreTest.run(twice, "import", "--data-dir", target.toString(), "--from", aliceFile.toString(), "--instance", other)).isNotZero();
    assertThat(TableDump.of(target)).as("a refused import changes nothing").isEqualTo(withCopy);

    try (SynapServer server = SynapServer.start(ServerConfig.forTests(target))) {
      Rest copy = new Rest(server, otherKey), original = new Rest(server, key);
      assertThat(contents(copy.ok("GET", "/api/v1/memories?user_id=alice&status=all&limit=500", null)))
          .containsExactlyInAnyOrderElementsOf(contents(original.ok("GET", "/api/v1/memories?user_id=alice&status=all&limit=500", null)));
      assertThat(copy.ok("GET", "/api/v1/memories?user_id=bob&status=all", null)).doesNotContain("cello");
      assertThat(copy.fetchUser("alice", "where does she live now")).contains("Berlin");
      JsonNode m = JSON.readTree(copy.ok("GET", "/api/v1/memories?user_id=alice&status=all&limit=1", null)).get("memories").get(0);
      assertThat(copy.ok("GET", "/api/v1/memories/" + m.get("memory_id").asText() + "/history", null)).contains("created");
    }
  }

  private static String instanceOf(Path exportFile) throws Exception {
    return JSON.readTree(Files.readAllLines(exportFile).getFirst()).get("instance_id").asText();
  }

  private static List<String> contents(String listing) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode m : JSON.readTree(listing).get("memories")) out.add(m.get("status").asText() + ": " + m.get("content").asText());
    return out;
  }

  private static void awaitCompaction(Rest rest, String conversation) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      String s = JSON.readTree(rest.ok("GET", "/v1/conversations/" + conversation + "/compaction/status", null)).get("status").asText();
      if (s.equals("completed")) return;
      if (s.equals("failed")) throw new AssertionError("compaction failed");
      Thread.sleep(100);
    }
    throw new AssertionError("compaction did not complete");
  }
}
