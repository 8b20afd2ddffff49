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
    String key, liveHook;
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

      // The instance's set-up moves too: configuration versions (with the active one) and webhooks.
      liveHook = ControlSetUp.apply(server, server.engine().tenancy().instances().getFirst().instanceId());

      // Exported while the server runs: one snapshot.
      StringBuilder err = new StringBuilder();
      assertThat(BackupRestoreTest.run(err, "export", "--data-dir", source.toString(), "--with-webhook-secrets", "--to", instanceFile.toString()))
          .as(err.toString()).isZero();
    }
    Map<String, List<String>> before = TableDump.of(source);
    assertThat(before.get("compactions")).isNotEmpty();
    assertThat(before.get("memory_history").size()).isGreaterThan(before.get("memories").size());
    assertThat(before.get("entity_aliases")).isNotEmpty();
    assertThat(before.get("memory_configs")).hasSize(4).anyMatch(r -> r.contains("status=active"));
    assertThat(before.get("webhooks")).hasSize(2).anyMatch(r -> r.contains("deleted_at=null")).anyMatch(r -> !r.contains("deleted_at=null"));
    assertThat(Files.readString(instanceFile)).contains("whsec_");

    StringBuilder err = new StringBuilder();
    assertThat(BackupRestoreTest.run(err, "import", "--data-dir", target.toString(), "--from", instanceFile.toString())).as(err.toString()).isZero();
    Map<String, List<String>> after = TableDump.of(target);
    assertThat(after.keySet()).isEqualTo(before.keySet());
    for (String table : before.keySet()) assertThat(after.get(table)).as(table).isEqualTo(before.get(table));
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(target)) {
      assertThat(store.archive().schemaTables()).as("every table is exported").containsExactlyInAnyOrderElementsOf(store.archive().tables());
    }

    // The moved instance answers with its old key, through its rebuilt index, under its active configuration.
    try (SynapServer server = SynapServer.start(ServerConfig.forTests(target))) {
      assertThat(new Rest(server, key).fetchUser("alice", "where does she live now")).contains("Berlin");
      String moved = instanceOf(instanceFile);
      assertThat(server.engine().memoryConfigs().active(moved).confidenceThreshold()).isEqualTo(0.5);
      assertThat(server.engine().store().webhooks().list(moved)).singleElement()
          .satisfies(w -> assertThat(w.url()).isEqualTo("https://hooks.example.com/synap"));
    }

    // Without --with-webhook-secrets the file holds none; the import gives each webhook a new one and shows it once.
    Path noSecrets = tmp.resolve("no-secrets.jsonl"), third = tmp.resolve("third");
    assertThat(BackupRestoreTest.run(err, "export", "--data-dir", source.toString(), "--to", noSecrets.toString())).as(err.toString()).isZero();
    assertThat(Files.readString(noSecrets)).doesNotContain("whsec_").contains("\"webhook_secrets\":false");
    String printed = stdout(() -> assertThat(BackupRestoreTest.run(err, "import", "--data-dir", third.toString(), "--from", noSecrets.toString()))
        .as(err.toString()).isZero());
    assertThat(printed.lines().filter(l -> l.contains("new signing secret whsec_"))).hasSize(2);
    Map<String, List<String>> thirdTables = TableDump.of(third);
    for (String table : before.keySet()) {
      if (!table.equals("webhooks")) assertThat(thirdTables.get(table)).as(table).isEqualTo(before.get(table));
    }
    assertThat(withoutSecrets(thirdTables.get("webhooks"))).isEqualTo(withoutSecrets(before.get("webhooks")));
    assertThat(thirdTables.get("webhooks")).doesNotContainAnyElementsOf(before.get("webhooks"));

    // Into another instance: configuration versions and webhooks (renamed) go along; a target with versions of its own refuses the file.
    String inThird;
    try (MemoryEngine engine = MemoryEngine.openForAdmin(third)) {
      inThird = engine.tenancy().createInstance("copy", RelationshipMode.B2C).instanceId();
    }
    assertThat(BackupRestoreTest.run(err, "import", "--data-dir", third.toString(), "--from", noSecrets.toString(), "--instance", inThird))
        .as(err.toString()).isZero();
    try (MemoryEngine engine = MemoryEngine.openForAdmin(third)) {
      assertThat(engine.memoryConfigs().versions(inThird)).hasSize(4);
      assertThat(engine.memoryConfigs().active(inThird).confidenceThreshold()).isEqualTo(0.5);
      assertThat(engine.store().webhooks().list(inThird)).singleElement().satisfies(w -> assertThat(w.webhookId()).isNotEqualTo(liveHook));
    }
    StringBuilder refused = new StringBuilder();
    assertThat(BackupRestoreTest.run(refused, "import", "--data-dir", third.toString(), "--from", noSecrets.toString(), "--instance", inThird)).isNotZero();
    assertThat(refused.toString()).contains("memory configuration versions of its own");

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

  private static List<String> withoutSecrets(List<String> rows) {
    return rows.stream().map(r -> r.replaceAll("secret=whsec_[0-9a-f]+", "secret=?")).sorted().toList();
  }

  /** What a command prints on standard output (new secrets go there, reports to standard error). */
  private static String stdout(Runnable r) {
    java.io.PrintStream original = System.out;
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(original);
    }
    return buf.toString(java.nio.charset.StandardCharsets.UTF_8);
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
