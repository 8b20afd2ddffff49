package dev.synap.server;

import static dev.synap.server.BadJson.F;
import static dev.synap.server.JsonEndpoint.optional;
import static dev.synap.server.JsonEndpoint.required;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every REST endpoint that takes a body or parameters, fed malformed input: each request gets a
 * typed 4xx with the {"detail","code"} envelope (never a 5xx or a stack trace), stored data stays
 * byte-for-byte the same (checksum of the messages and memories tables), and after each property
 * the server is healthy and a valid record + fetch still work.
 */
class MalformedRestPropertiesTest {
  static final String USER = "prop-user";
  static Path dir;
  static RunningServer rs;
  static String conversation = UUID.randomUUID().toString();
  static String memoryId;
  static String baseline;

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("synap-props");
    rs = new RunningServer(dir);
    for (String text : List.of("My dog Rex loves the beach.", "I prefer green tea over coffee.", "I feel happy when Rex runs.")) {
      assertThat(rs.post("/v1/conversations/messages", BadJson.write(message().put("content", text)), rs.key).statusCode()).isEqualTo(200);
    }
    rs.awaitIngested();
    JsonNode list = BadJson.MAPPER.readTree(rs.get("/api/v1/memories?user_id=" + USER, rs.key).body());
    memoryId = list.path("memories").path(0).path("memory_id").asText();
    assertThat(memoryId).isNotEmpty();
    baseline = StoreChecksum.of(dir);
  }

  @AfterContainer
  static void stop() throws IOException {
    rs.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @AfterProperty
  void stillHealthyAndUnchanged() throws Exception {
    String now = StoreChecksum.of(dir);
    String before = baseline;
    baseline = now; // a failure here must not fail the properties that follow
    assertThat(now).as("stored data after the property").isEqualTo(before);
    assertThat(rs.get("/health", null).statusCode()).isEqualTo(200);
    HttpResponse<String> recorded = rs.post("/v1/conversations/messages", BadJson.write(message().put("content", "Rex chased a ball " + UUID.randomUUID())), rs.key);
    assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(200);
    HttpResponse<String> fetched = rs.post("/v1/context/user/fetch", BadJson.write(fetchBody()), rs.key);
    assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
    rs.awaitIngested();
    baseline = StoreChecksum.of(dir);
  }

  // ---- the properties, one per endpoint group ----

  @Property(tries = 200)
  void recordMessage(@ForAll("messages") BadRequest r) throws Exception {
    refused(r);
  }

  @Property(tries = 150)
  void recordBatch(@ForAll("messageBatches") BadRequest r) throws Exception {
    refused(r);
  }

  @Property(tries = 200)
  void fetchContext(@ForAll("fetches") BadRequest r) throws Exception {
    refused(r);
  }

  @Property(tries = 200)
  void createMemory(@ForAll("documents") BadRequest r) throws Exception {
    refused(r);
  }

  @Property(tries = 100)
  void batchMemories(@ForAll("documentBatches") BadRequest r) throws Exception {
    refused(r);
  }

  @Property(tries = 100)
  void uploadMemory(@ForAll("uploads") BadRequest r) throws Exception {
    refused(r);
  }

  @Property(tries = 150)
  void updateMemory(@ForAll("updates") BadRequest r) throws Exception {
    refused(r);
  }

  @Property(tries = 150)
  void ingestTranscript(@ForAll("transcripts") BadRequest r) throws Exception {
    refused(r);
  }

  @Property(tries = 150)
  void pathsAndQueries(@ForAll("parameters") BadRequest r) throws Exception {
    refused(r);
  }

  @Property(tries = 150)
  void telemetryBatch(@ForAll("telemetry") BadRequest r) throws Exception {
    refused(r);
  }

  /** Found by pathsAndQueries: Jetty refused these itself, with an HTML page instead of the envelope. */
  @net.jqwik.api.Example
  void requestsJettyRefusesStillGetTheEnvelope() throws Exception {
    refused(BadRequest.json("GET", "/api/v1/memories/status/a%00a", null, "NUL in the path"));
    refused(BadRequest.json("GET", "/v1/conversations/messages/a%2Fb/status", null, "encoded slash"));
  }

  private static void refused(BadRequest r) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + r.path()))
        .header("Authorization", "Bearer " + rs.key)
        .method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(r.body()));
    if (r.contentType() != null) b.header("Content-Type", r.contentType());
    r.headers().forEach(b::header);
    HttpResponse<String> response = rs.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    String body = response.body();
    assertThat(body).as("no stack trace").doesNotContain("\tat ", "Exception", "java.", "org.eclipse");
    JsonNode json = BadJson.MAPPER.readTree(body);
    if (r.partialOk() && response.statusCode() == 200) {
      assertThat(json.path("succeeded").asInt(-1)).as(body).isZero();
      assertThat(json.path("failed").asInt()).as(body).isEqualTo(json.path("total").asInt());
    } else {
      assertThat(response.statusCode()).as(body).isBetween(400, 499);
      assertThat(json.isObject()).as(body).isTrue();
      assertThat(json.path("detail").isMissingNode() || json.path("detail").isNull()).as(body).isFalse();
      assertThat(json.path("code").isTextual()).as(body).isTrue();
    }
    assertThat(StoreChecksum.of(dir)).as("stored data after " + r).isEqualTo(baseline);
  }

  // ---- valid bodies ----

  static ObjectNode message() {
    return F.objectNode().put("conversation_id", conversation).put("role", "user").put("content", "I like hiking in the Alps.")
        .put("user_id", USER).set("metadata", F.objectNode().put("source", "props"));
  }

  static ObjectNode fetchBody() {
    ObjectNode b = F.objectNode().put("user_id", USER).put("conversation_id", conversation).put("max_results", 10).put("mode", "fast");
    b.set("search_query", F.arrayNode().add("dog"));
    b.set("types", F.arrayNode().add("all"));
    return b;
  }

  static ObjectNode document() {
    ObjectNode b = F.objectNode().put("document", "Alice moved to Lisbon in 2021. She works as a nurse.").put("document_type", "document")
        .putNull("document_id").putNull("document_created_at").put("user_id", USER).putNull("customer_id").put("mode", "long-range");
    b.set("metadata", F.objectNode());
    return b;
  }

  static ObjectNode transcript() {
    ObjectNode b = F.objectNode().put("conversation_id", "ext-" + UUID.randomUUID()).put("user_id", USER);
    ArrayNode turns = b.putArray("transcript");
    turns.addObject().put("role", "user").put("content", "We adopted a cat named Miso.").putNull("timestamp").putNull("speaker");
    turns.addObject().put("role", "assistant").put("content", "Congratulations on Miso!").putNull("timestamp").putNull("speaker");
    return b;
  }

  static ObjectNode telemetryEvent() {
    ObjectNode e = F.objectNode().put("event_type", "cache_hit").put("instance_id", "inst_0123456789abcdef").put("client_id", "c")
        .put("correlation_id", "syn_x").put("timestamp", "2025-01-01T00:00:00+00:00").put("latency_ms", 3).put("status", "success")
        .putNull("error_code").put("scope", "user").put("cache_status", "hit").put("attempt", 1).put("http_method", "POST")
        .put("http_path", "/v1/context/user/fetch").put("http_status_code", 200);
    e.set("metadata", F.objectNode());
    return e;
  }

  // ---- endpoints ----

  static final JsonEndpoint MESSAGES = new JsonEndpoint("POST", "/v1/conversations/messages", MalformedRestPropertiesTest::message, List.of(
      required("conversation_id", BadJson.notUuid()),
      required("role", BadJson.badEnum(Set.of("user", "assistant"))),
      required("content", BadJson.blankOrTooLong(32_768)),
      optional("user_id", BadJson.badId()),
      optional("customer_id", BadJson.badId()),
      optional("session_id", BadJson.tooLong(256)),
      optional("metadata", BadJson.badMetadata()),
      optional("timestamp", BadJson.badTime()),
      optional("idempotency_key", BadJson.tooLong(256))));

  @Provide
  Arbitrary<BadRequest> messages() {
    Arbitrary<BadRequest> longKey = BadJson.letters(257, 300).map(k -> new BadRequest("POST", MESSAGES.path(), "application/json",
        BadJson.write(message()), Map.of("Idempotency-Key", k), "Idempotency-Key too long", false));
    return Arbitraries.oneOf(MESSAGES.malformed(), longKey);
  }

  @Provide
  Arbitrary<BadRequest> messageBatches() {
    String path = "/v1/conversations/messages/batch";
    JsonEndpoint batch = new JsonEndpoint("POST", path, () -> {
      ObjectNode b = F.objectNode();
      b.putArray("messages").add(message());
      return b;
    }, List.of(required("messages", Arbitraries.oneOf(BadJson.notAString().filter(n -> !n.isArray()), BadJson.text(BadJson.letters(0, 5))))));
    Arbitrary<BadRequest> tooMany = Arbitraries.integers().between(501, 600).map(n -> {
      ObjectNode b = F.objectNode();
      ArrayNode a = b.putArray("messages");
      for (int i = 0; i < n; i++) a.add(message().put("content", "bulk " + i));
      return BadRequest.json("POST", path, BadJson.write(b), n + " messages");
    });
    Arbitrary<BadRequest> badElement = MESSAGES.oneField().map(broken -> {
      ObjectNode b = F.objectNode();
      b.putArray("messages").add(broken.body());
      return BadRequest.json("POST", path, BadJson.write(b), "element: " + broken.what()).partial();
    });
    Arbitrary<BadRequest> notObjects = BadJson.notAnObject().map(e -> {
      ObjectNode b = F.objectNode();
      b.putArray("messages").add(e);
      return BadRequest.json("POST", path, BadJson.write(b), "element not an object").partial();
    });
    return Arbitraries.oneOf(batch.malformed(), tooMany, badElement, notObjects);
  }

  @Provide
  Arbitrary<BadRequest> fetches() {
    Arbitrary<String> scope = Arbitraries.of("user", "conversation", "customer", "client");
    Arbitrary<BadRequest> byField = scope.flatMap(s -> new JsonEndpoint("POST", "/v1/context/" + s + "/fetch", () -> {
      ObjectNode b = fetchBody();
      if (s.equals("customer")) b.put("customer_id", "cust-1");
      return b;
    }, List.of(
        s.equals("user") ? required("user_id", BadJson.badId()) : optional("user_id", BadJson.badId()),
        s.equals("conversation") ? required("conversation_id", BadJson.notUuid()) : optional("conversation_id", BadJson.notUuid()),
        s.equals("customer") ? required("customer_id", BadJson.badId()) : optional("customer_id", BadJson.badId()),
        optional("search_query", BadJson.badQueries()),
        optional("types", BadJson.badTypes()),
        optional("max_results", BadJson.badInt(1, 100)),
        optional("mode", BadJson.badEnum(Set.of("fast", "accurate"))),
        optional("token_budget", BadJson.badInt(1, 1_000_000)),
        optional("precision_level", BadJson.badEnum(Set.of("high", "medium"))),
        optional("context_mode", BadJson.badEnum(Set.of("in-conversation", "conversation-summary"))),
        optional("last_n_conversations", BadJson.badInt(0, 20)),
        optional("include_profile", BadJson.badBool()),
        optional("include_conversation_context", BadJson.badBool()))).malformed());
    Arbitrary<BadRequest> badScope = BadJson.letters(1, 12).map(s -> BadRequest.json("POST", "/v1/context/x" + s + "/fetch",
        BadJson.write(fetchBody()), "unknown scope"));
    return Arbitraries.oneOf(byField, badScope);
  }

  static final Set<String> DOCUMENT_TYPES = Set.of("ai-chat-conversation", "document", "email", "pdf", "image", "audio",
      "meeting-transcript", "markdown", "json");

  static final JsonEndpoint DOCUMENTS = new JsonEndpoint("POST", "/api/v1/memories/create", MalformedRestPropertiesTest::document, List.of(
      required("document", Arbitraries.oneOf(
          Arbitraries.integers().map(i -> (JsonNode) F.numberNode(i)),
          Arbitraries.of(true, false).map(x -> (JsonNode) F.booleanNode(x)),
          Arbitraries.just((JsonNode) F.arrayNode().add("text")),
          Arbitraries.of("", "  ", "\n").map(F::textNode),
          Arbitraries.just(0).map(i -> (JsonNode) F.textNode("a".repeat(1_000_001))))),
      optional("document_type", BadJson.badEnum(DOCUMENT_TYPES)),
      optional("document_id", BadJson.tooLong(256)),
      optional("document_created_at", BadJson.badTime()),
      optional("user_id", BadJson.badId()),
      optional("customer_id", BadJson.badId()),
      optional("mode", BadJson.badEnum(Set.of("fast", "long-range"))),
      optional("metadata", BadJson.badMetadata())));

  @Provide
  Arbitrary<BadRequest> documents() {
    return DOCUMENTS.malformed();
  }

  @Provide
  Arbitrary<BadRequest> documentBatches() {
    String path = "/api/v1/memories/batch";
    JsonEndpoint batch = new JsonEndpoint("POST", path, () -> {
      ObjectNode b = F.objectNode().put("fail_fast", false);
      b.putArray("documents").add(document());
      return b;
    }, List.of(
        required("documents", Arbitraries.oneOf(BadJson.notAString().filter(n -> !n.isArray()), BadJson.text(BadJson.letters(0, 5)))),
        optional("fail_fast", BadJson.badBool())));
    Arbitrary<BadRequest> tooMany = Arbitraries.integers().between(101, 130).map(n -> {
      ObjectNode b = F.objectNode();
      ArrayNode a = b.putArray("documents");
      for (int i = 0; i < n; i++) a.add(document().put("document", "bulk document " + i));
      return BadRequest.json("POST", path, BadJson.write(b), n + " documents");
    });
    Arbitrary<BadRequest> badElement = Arbitraries.of(true, false).flatMap(failFast -> DOCUMENTS.oneField().map(broken -> {
      ObjectNode b = F.objectNode().put("fail_fast", failFast);
      b.putArray("documents").add(broken.body());
      BadRequest r = BadRequest.json("POST", path, BadJson.write(b), "fail_fast=" + failFast + " element: " + broken.what());
      return failFast ? r : r.partial();
    }));
    return Arbitraries.oneOf(batch.malformed(), tooMany, badElement);
  }

  @Provide
  Arbitrary<BadRequest> uploads() {
    String path = "/api/v1/memories/upload";
    String form = "application/x-www-form-urlencoded";
    Arbitrary<String> field = Arbitraries.oneOf(
        BadJson.badIdText().map(v -> "text=hello&user_id=" + enc(v)),
        BadJson.badIdText().map(v -> "text=hello&customer_id=" + enc(v)),
        BadJson.letters(1, 8).map(v -> "text=hello&mode=x" + v),
        BadJson.letters(1, 8).map(v -> "text=hello&document_type=x" + v),
        BadJson.letters(1, 8).map(v -> "text=hello&relationship_type=x" + v),
        Arbitraries.of("[1]", "1", "\"s\"", "{", "{}}", "{\"a\":{}} x", "nope").map(m -> "text=hello&metadata=" + enc(m)),
        Arbitraries.of("", "user_id=" + USER, "text=", "text=%20%20").map(s -> s));
    Arbitrary<BadRequest> forms = field.map(b -> new BadRequest("POST", path, form, b, Map.of(), "form", false));
    Arbitrary<BadRequest> multipart = Arbitraries.of(
        new BadRequest("POST", path, "multipart/form-data; boundary=xyz", "garbage without parts", Map.of(), "multipart garbage", false),
        new BadRequest("POST", path, "multipart/form-data", "--xyz\r\n\r\n", Map.of(), "multipart without boundary", false),
        new BadRequest("POST", path, "multipart/form-data; boundary=xyz",
            "--xyz\r\nContent-Disposition: form-data; name=\"user_id\"\r\n\r\n" + USER + "\r\n--xyz--\r\n", Map.of(), "multipart without text", false),
        new BadRequest("POST", path, "application/json", BadJson.write(document()), Map.of(), "json instead of a form", false));
    return Arbitraries.oneOf(forms, multipart);
  }

  @Provide
  Arbitrary<BadRequest> updates() {
    JsonEndpoint existing = new JsonEndpoint("PATCH", "/api/v1/memories/" + memoryId,
        () -> F.objectNode().put("document", "Rex is a golden retriever.").put("merge_strategy", "append"), List.of(
            required("document", Arbitraries.oneOf(
                Arbitraries.integers().map(i -> (JsonNode) F.numberNode(i)),
                Arbitraries.of(true, false).map(x -> (JsonNode) F.booleanNode(x)),
                Arbitraries.just((JsonNode) F.arrayNode().add("text")),
                BadJson.blankOrTooLong(32_768).filter(JsonNode::isTextual))),
            optional("merge_strategy", BadJson.badEnum(Set.of("replace", "append", "smart-merge"))),
            optional("document_type", BadJson.badEnum(DOCUMENT_TYPES)),
            optional("metadata", BadJson.badMetadata())));
    Arbitrary<BadRequest> missing = Arbitraries.oneOf(BadJson.letters(1, 30), Arbitraries.create(() -> UUID.randomUUID().toString()))
        .flatMap(id -> Arbitraries.of("GET", "DELETE", "PATCH").map(m -> BadRequest.json(m, "/api/v1/memories/" + enc(id),
            m.equals("PATCH") ? "{\"document\":\"x\"}" : null, "unknown memory")));
    return Arbitraries.oneOf(existing.malformed(), missing);
  }

  @Provide
  Arbitrary<BadRequest> transcripts() {
    Arbitrary<JsonNode> badTurn = Arbitraries.oneOf(
        BadJson.notAnObject(),
        BadJson.badEnum(Set.of("user", "assistant")).map(r -> (JsonNode) turn().set("role", r)),
        BadJson.blankOrTooLong(32_768).map(c -> (JsonNode) turn().set("content", c)),
        Arbitraries.just((JsonNode) turnWithout("content")),
        Arbitraries.just((JsonNode) turnWithout("role")),
        BadJson.badTime().map(t -> (JsonNode) turn().set("timestamp", t)),
        BadJson.notAString().map(s -> (JsonNode) turn().set("speaker", s)),
        BadJson.notAnObject().filter(n -> !n.isNull()).map(m -> (JsonNode) turn().set("metadata", m)));
    JsonEndpoint ingest = new JsonEndpoint("POST", "/v1/conversations/ingest", MalformedRestPropertiesTest::transcript, List.of(
        required("conversation_id", BadJson.blankOrTooLong(256)),
        optional("user_id", BadJson.badId()),
        optional("customer_id", BadJson.badId()),
        required("transcript", Arbitraries.oneOf(
            Arbitraries.integers().map(i -> (JsonNode) F.numberNode(i)),
            Arbitraries.just((JsonNode) F.objectNode()),
            Arbitraries.of("", "  ", "\n\n").map(F::textNode),
            Arbitraries.just((JsonNode) F.arrayNode()),
            badTurn.map(t -> (JsonNode) F.arrayNode().add(turn()).add(t)))),
        optional("conversation_type", BadJson.tooLong(64)),
        optional("analysis", Arbitraries.oneOf(BadJson.notAnObject(),
            Arbitraries.just(0).map(i -> (JsonNode) F.objectNode().put("big", "a".repeat(70_000))))),
        optional("metadata", BadJson.badMetadata()),
        optional("started_at", BadJson.badTime()),
        optional("ended_at", BadJson.badTime())));
    return ingest.malformed();
  }

  private static ObjectNode turn() {
    return F.objectNode().put("role", "user").put("content", "hello there").putNull("timestamp").putNull("speaker");
  }

  private static ObjectNode turnWithout(String field) {
    ObjectNode t = turn();
    t.remove(field);
    return t;
  }

  @Provide
  Arbitrary<BadRequest> parameters() {
    Arbitrary<String> listQuery = Arbitraries.oneOf(
        BadJson.badIdText().map(v -> "user_id=" + enc(v)),
        BadJson.badIdText().map(v -> "customer_id=" + enc(v)),
        BadJson.letters(1, 30).map(v -> "conversation_id=" + enc(v)),
        BadJson.letters(1, 8).map(v -> "type=x" + v),
        Arbitraries.of("0", "501", "-1", "x", "1.5", "99999999999").map(v -> "limit=" + v),
        Arbitraries.of("-1", "x", "1e3", "99999999999").map(v -> "offset=" + v));
    Arbitrary<BadRequest> list = listQuery.map(q -> BadRequest.json("GET", "/api/v1/memories?" + q, null, "list"));
    Arbitrary<String> anyId = Arbitraries.oneOf(BadJson.letters(1, 40), BadJson.badIdText(), Arbitraries.create(() -> UUID.randomUUID().toString()));
    Arbitrary<BadRequest> lookups = anyId.flatMap(id -> Arbitraries.of(
        "/api/v1/memories/status/", "/api/v1/memories/%s/history", "/v1/conversations/messages/%s/status").map(p ->
        BadRequest.json("GET", p.contains("%s") ? p.formatted(enc(id)) : p + enc(id), null, "unknown id")));
    Arbitrary<BadRequest> deleteUser = Arbitraries.oneOf(
        BadJson.badIdText().map(u -> BadRequest.json("DELETE", "/v1/users/" + enc(u), null, "bad user id")),
        BadJson.badIdText().map(c -> BadRequest.json("DELETE", "/v1/users/" + USER + "?customer_id=" + enc(c), null, "bad customer id")));
    return Arbitraries.oneOf(list, lookups, deleteUser);
  }

  @Provide
  Arbitrary<BadRequest> telemetry() {
    String path = "/v1/telemetry/batch";
    JsonEndpoint event = new JsonEndpoint("POST", path, MalformedRestPropertiesTest::telemetryEvent, List.of(
        required("event_type", Arbitraries.oneOf(BadJson.notAString(), BadJson.text(Arbitraries.of("", "Cache Hit", "x y", "a/b")),
            BadJson.text(BadJson.letters(65, 100)))),
        optional("latency_ms", Arbitraries.oneOf(BadJson.text(BadJson.letters(1, 4)), Arbitraries.just((JsonNode) F.numberNode(-5)),
            Arbitraries.just((JsonNode) F.objectNode()))),
        optional("attempt", Arbitraries.of(-1, -100).map(i -> (JsonNode) F.numberNode(i))),
        optional("http_status_code", Arbitraries.of(1000, -2, 70000).map(i -> (JsonNode) F.numberNode(i))),
        optional("correlation_id", BadJson.tooLong(256)),
        optional("http_path", BadJson.tooLong(2048)),
        optional("status", BadJson.tooLong(32)),
        optional("metadata", BadJson.badMetadata())));
    JsonEndpoint batch = new JsonEndpoint("POST", path, () -> {
      ObjectNode b = F.objectNode().put("sdk_version", "0.4.4").put("batch_id", "0123456789abcdef").put("created_at", "2025-01-01T00:00:00");
      b.putArray("events").add(telemetryEvent());
      return b;
    }, List.of(
        required("events", Arbitraries.oneOf(BadJson.notAString().filter(n -> !n.isArray()), BadJson.text(BadJson.letters(0, 5)))),
        optional("sdk_version", BadJson.tooLong(64)),
        optional("batch_id", BadJson.tooLong(64))));
    Arbitrary<BadRequest> badEvent = event.oneField().map(broken -> {
      ObjectNode b = F.objectNode();
      b.putArray("events").add(telemetryEvent()).add(broken.body());
      return BadRequest.json("POST", path, BadJson.write(b), "event: " + broken.what());
    });
    Arbitrary<BadRequest> tooMany = Arbitraries.integers().between(1001, 1100).map(n -> {
      ObjectNode b = F.objectNode();
      ArrayNode a = b.putArray("events");
      for (int i = 0; i < n; i++) a.add(telemetryEvent());
      return BadRequest.json("POST", path, BadJson.write(b), n + " events");
    });
    return Arbitraries.oneOf(batch.malformed(), badEvent, tooMany);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
