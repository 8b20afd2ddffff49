package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

/**
 * Per-instance memory configuration honoured by the engine (issue 15 items 4 and 7), through a
 * real server: a disabled category is not extracted, an extraction below the threshold is not
 * stored, what must never be remembered reaches neither the store, the index, the history nor a
 * pushed bundle, and retention ages memories out with history markers.
 */
class MemoryConfigTest extends AdminServerFixture {
  /** Applies a configuration (YAML or JSON text) to an instance through the review workflow. */
  private JsonNode apply(String instance, String text) throws Exception {
    JsonNode draft = admin.ok("POST", "/dashboard/instances/" + instance + "/memory-config/drafts",
        AdminApi.JSON.createObjectNode().put("config_text", text).put("reason", "test").toString());
    assertThat(draft.get("status").asText()).isEqualTo("pending_review");
    return admin.ok("POST", "/dashboard/instances/" + instance + "/memory-config/versions/" + draft.get("version").asInt() + "/apply",
        "{\"mode\":\"immediate\"}");
  }

  private void say(String key, String user, String text) throws Exception {
    String body = AdminApi.JSON.createObjectNode().put("conversation_id", UUID.randomUUID().toString()).put("role", "user")
        .put("content", text).put("user_id", user).toString();
    assertThat(admin.call("POST", "/v1/conversations/messages", body, key).statusCode()).isEqualTo(200);
  }

  private List<JsonNode> memories(String key, String user) throws Exception {
    JsonNode page = AdminApi.JSON.readTree(admin.call("GET", "/api/v1/memories?user_id=" + user + "&limit=100", null, key).body());
    List<JsonNode> out = new ArrayList<>();
    page.get("memories").forEach(out::add);
    return out;
  }

  @Test
  void aDisabledCategoryIsNotExtractedAndABelowThresholdExtractionIsNotStored() throws Exception {
    String configured = admin.createInstance("configured", "b2c").get("instance_id").asText();
    String plain = admin.createInstance("plain", "b2c").get("instance_id").asText();
    String configuredKey = admin.key(configured, null);
    String plainKey = admin.key(plain, null);
    JsonNode applied = apply(configured, """
        categories:
          emotions: false
        confidence_threshold: 0.8
        """);
    assertThat(applied.get("status").asText()).isEqualTo("active");
    assertThat(applied.get("config").get("categories").get("emotions").asBoolean()).isFalse();

    List<String> turns = List.of("I feel so anxious about the exam tomorrow morning.", "I think I might like jazz a little.",
        "I love spicy ramen.");
    for (String t : turns) {
      say(configuredKey, "kim", t);
      say(plainKey, "kim", t);
    }
    rs.awaitIngested();

    List<JsonNode> unconfigured = memories(plainKey, "kim");
    assertThat(unconfigured).as("the same turns on an unconfigured instance")
        .anyMatch(m -> m.get("memory_type").asText().startsWith("emotion"))
        .anyMatch(m -> m.get("confidence").asDouble() < 0.8);
    List<JsonNode> kept = memories(configuredKey, "kim");
    assertThat(kept).as("ramen is a confident preference").anyMatch(m -> m.get("content").asText().contains("ramen"));
    assertThat(kept).noneMatch(m -> m.get("memory_type").asText().startsWith("emotion"));
    assertThat(kept).allMatch(m -> m.get("confidence").asDouble() >= 0.8);
  }

  @Test
  void aNeverRememberPatternReachesNeitherStoreIndexHistoryNorAPushedBundle() throws Exception {
    String instance = admin.createInstance("careful", "b2c").get("instance_id").asText();
    String key = admin.key(instance, null);
    apply(instance, """
        {"never_remember": {"card_numbers": true, "secrets": true, "emails": true,
          "patterns": ["ACCT-[0-9]{6}"], "topics": ["politics"]}}
        """);
    List<String> forbidden = List.of("4539148803436467", "qwertyzebrasecret1234", "quokka", "918273", "xylophonist", "hunter2zebra");

    String conv = UUID.randomUUID().toString();
    say(key, "kim", "My card number is 4539148803436467 and my pangolin is called Pip.");
    say(key, "kim", "My api key is sk-proj-QwertyZebraSecret1234 for the pangolin shop.");
    String batch = AdminApi.JSON.createObjectNode().set("messages", AdminApi.JSON.createArrayNode().add(AdminApi.JSON.createObjectNode()
        .put("conversation_id", conv).put("role", "user").put("content", "Email me at zanzibar.quokka@example.com about the pangolin.")
        .put("user_id", "kim"))).toString();
    assertThat(admin.call("POST", "/v1/conversations/messages/batch", batch, key).statusCode()).isEqualTo(200);
    String transcript = "{\"conversation_id\":\"call-1\",\"user_id\":\"kim\",\"transcript\":[{\"role\":\"user\","
        + "\"content\":\"My pangolin door password: hunter2zebra opens it.\"}]}";
    assertThat(admin.call("POST", "/v1/conversations/ingest", transcript, key).statusCode()).isEqualTo(200);
    assertThat(admin.call("POST", "/api/v1/memories/create",
        "{\"document\":\"Kim's pangolin vet writes to vet.quokka@example.org weekly.\",\"user_id\":\"kim\"}", key).statusCode()).isEqualTo(200);
    rs.awaitIngested();

    // Over the stream: events with a custom pattern and an out-of-scope topic; the pushes are kept.
    RunningServer.Stream s = rs.new Stream(channel, key);
    s.send(event("My account ACCT-918273 is for the pangolin sanctuary.", conv));
    s.send(event("I think politics is xylophonist nonsense. I adore pangolins.", conv));
    rs.awaitIngested();
    s.send(event("what do you know about my pangolin?", conv));
    StreamResponse bundle = s.next(StreamResponse.PayloadCase.CONTEXT_BUNDLE, 5000);
    assertThat(bundle).isNotNull();
    Thread.sleep(300);

    // An edit is new text too.
    JsonNode some = memories(key, "kim").getFirst();
    String memoryId = some.get("memory_id").asText();
    assertThat(admin.call("PATCH", "/api/v1/memories/" + memoryId, "{\"document\":\"Kim's pangolin card 4539148803436467 zorblax.\"}", key)
        .statusCode()).isEqualTo(200);
    String history = admin.call("GET", "/api/v1/memories/" + memoryId + "/history", null, key).body();
    rs.awaitIngested();

    List<String> pushed = new ArrayList<>();
    pushed.add(bundle.toString());
    s.responses.forEach(r -> pushed.add(r.toString()));
    s.requests.onCompleted();
    rs.close();
    rs = null;

    String store = storeText(dir.resolve("synap.db"));
    String index = indexText(dir.resolve("index"));
    assertThat(store).as("positive control: the scan reads stored memories").contains("pangolin");
    assertThat(index).as("positive control: the scan reads the index").contains("pangolin");
    assertThat(String.join("\n", pushed).toLowerCase(Locale.ROOT)).as("positive control: pushes carry memories").contains("pangolin");
    assertThat(store).contains("[redacted card number]").contains("[redacted: out of scope]").contains("[redacted email]");
    assertThat(store).as("the edit landed, redacted").contains("zorblax");
    for (String f : forbidden) {
      assertThat(store).as("store holds %s", f).doesNotContain(f);
      assertThat(index).as("index holds %s", f).doesNotContain(f);
      assertThat(history.toLowerCase(Locale.ROOT)).as("history holds %s", f).doesNotContain(f);
      for (String p : pushed) assertThat(p.toLowerCase(Locale.ROOT)).as("a pushed bundle holds %s", f).doesNotContain(f);
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.filter(Files::isRegularFile).toList()) {
          assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)).as("file %s holds %s", p, f)
              .doesNotContain(f);
        }
      }
    }
  }

  @Test
  void retentionAgesMemoriesOutOfStoreAndIndexWithHistoryMarkers() throws Exception {
    String instance = admin.createInstance("short memory", "b2c").get("instance_id").asText();
    String key = admin.key(instance, null);
    apply(instance, "retention:\n  max_memory_age_days: 30\n");
    String old = Instant.now().minus(90, ChronoUnit.DAYS).toString();
    String body = AdminApi.JSON.createObjectNode().put("conversation_id", UUID.randomUUID().toString()).put("role", "user")
        .put("content", "I love hiking in the Dolomites.").put("user_id", "kim").put("timestamp", old).toString();
    assertThat(admin.call("POST", "/v1/conversations/messages", body, key).statusCode()).isEqualTo(200);
    say(key, "kim", "I love sailing on the fjords.");
    rs.awaitIngested();
    List<JsonNode> before = memories(key, "kim");
    JsonNode dolomites = before.stream().filter(m -> m.get("content").asText().contains("Dolomites")).findFirst().orElseThrow();

    JsonNode run = admin.ok("POST", "/dashboard/instances/" + instance + "/retention/run", null);
    assertThat(run.get("deleted").asInt()).isEqualTo(1);
    List<JsonNode> after = memories(key, "kim");
    assertThat(after).noneMatch(m -> m.get("content").asText().contains("Dolomites"));
    assertThat(after).anyMatch(m -> m.get("content").asText().contains("fjords"));
    JsonNode fetched = AdminApi.JSON.readTree(admin.call("POST", "/v1/context/user/fetch",
        "{\"user_id\":\"kim\",\"search_query\":[\"Dolomites hiking\"],\"mode\":\"accurate\"}", key).body());
    assertThat(fetched.toString()).doesNotContain("Dolomites");
    JsonNode history = AdminApi.JSON.readTree(admin.call("GET", "/api/v1/memories/" + dolomites.get("memory_id").asText() + "/history",
        null, key).body());
    assertThat(history.toString()).contains("deleted");
  }

  private static StreamEvent event(String text, String conv) {
    return StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("user_message").setRole("user")
        .setContent(text).setUserId("kim").setConversationId(conv)).build();
  }

  /** Every text value of every table, lower-cased. */
  static String storeText(Path db) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
        while (rs.next()) tables.add(rs.getString(1));
      }
      for (String t : tables) {
        try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\"")) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) for (int i = 1; i <= n; i++) sb.append(rs.getString(i)).append('\n');
        }
      }
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  /** Every term and stored value of every instance index, lower-cased. */
  static String indexText(Path root) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        try (FSDirectory fs = FSDirectory.open(d)) {
          if (!DirectoryReader.indexExists(fs)) continue;
          try (DirectoryReader r = DirectoryReader.open(fs)) {
            for (FieldInfo fi : FieldInfos.getMergedFieldInfos(r)) {
              Terms terms = MultiTerms.getTerms(r, fi.name);
              if (terms == null) continue;
              TermsEnum te = terms.iterator();
              for (BytesRef b = te.next(); b != null; b = te.next()) sb.append(b.utf8ToString()).append(' ');
            }
            var stored = r.storedFields();
            for (int i = 0; i < r.maxDoc(); i++) {
              for (IndexableField f : stored.document(i).getFields()) if (f.stringValue() != null) sb.append(f.stringValue()).append('\n');
            }
          }
        }
      }
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }
}
