package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A memory edited or deleted over REST is searched by what it says now, at once, without a rebuild. */
class MemoryEditSearchTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  RunningServer rs;

  @BeforeEach
  void start() {
    rs = new RunningServer(dir);
  }

  @AfterEach
  void stop() {
    rs.close(); // closing twice is harmless
  }

  /**
   * The edited memory and its neighbours are far apart in meaning, so the top result for a word
   * names the memory that says it now: lexically and by embedding, the old text must be gone.
   */
  @Test
  void anUpdatedMemoryIsFoundByItsNewWordsAndNotByItsOldOnes() throws Exception {
    String id = remember("henry", "Henry keeps a durian on the kitchen shelf.");
    String fruit = remember("henry", "Henry loves tropical fruit such as mangoes and papayas.");
    remember("henry", "Henry flies to Oslo every spring for work.");
    remember("henry", "Henry's sister is called Maud.");
    assertThat(top("henry", "durian")).isEqualTo(id);

    JsonNode updated = ok(send("PATCH", "/api/v1/memories/" + id, "{\"document\":\"Henry renewed his passport at the embassy.\",\"merge_strategy\":\"replace\"}"));
    assertThat(updated.get("content").asText()).isEqualTo("Henry renewed his passport at the embassy.");

    // No wait for the indexer: the edit is searchable as the PATCH answered, and again once indexed.
    for (int pass = 0; pass < 2; pass++) {
      assertThat(top("henry", "passport")).as("pass %d", pass).isEqualTo(id);
      assertThat(top("henry", "durian")).as("pass %d", pass).isEqualTo(fruit);
      assertThat(fetch("henry", "durian", 10)).as("pass %d", pass).doesNotContain("durian");
      assertThat(rs.server.engine().awaitIdle(java.time.Duration.ofSeconds(30))).isTrue();
    }
  }

  @Test
  void anEditReachesTheStreamsHoldingTheOwnersBundles() throws Exception {
    String id = remember("lea", "Lea keeps a durian on the kitchen shelf.");
    ManagedChannel channel = rs.channel();
    try {
      RunningServer.Stream stream = rs.new Stream(channel, rs.key);
      stream.send(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("user_message").setRole("user")
          .setContent("what fruit does Lea keep on the kitchen shelf?").setUserId("lea").setConversationId(UUID.randomUUID().toString())).build());
      assertThat(stream.next(StreamResponse.PayloadCase.CONTEXT_BUNDLE, 10_000)).as("the stream now holds lea's bundle").isNotNull();

      ok(send("PATCH", "/api/v1/memories/" + id, "{\"document\":\"Lea keeps a rambutan on the kitchen shelf.\",\"merge_strategy\":\"replace\"}"));
      StreamResponse update;
      do { // the question's own bundles (first pass, dense additions) may still arrive first
        update = stream.next(StreamResponse.PayloadCase.CONTEXT_BUNDLE, 10_000);
      } while (update != null && !update.getContextBundle().getOriginPatternId().equals("memory_write.update"));
      assertThat(update).as("a bundle with the edited memory").isNotNull();
      assertThat(update.getContextBundle().toString()).contains("rambutan").contains(id);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void aDeletedMemoryLeavesTheIndex() throws Exception {
    String id = remember("ida", "Ida collects antique barometers.");
    remember("ida", "Ida runs a bakery in Ghent.");
    var engine = rs.server.engine();
    String instance = engine.tenancy().instances().getFirst().instanceId();
    int before = engine.index().forInstance(instance).size();
    ok(send("DELETE", "/api/v1/memories/" + id, null));
    assertThat(fetch("ida", "barometers", 10)).doesNotContain(id);
    engine.awaitIdle(java.time.Duration.ofSeconds(30));
    engine.index().forInstance(instance).refresh();
    assertThat(engine.index().forInstance(instance).size()).isEqualTo(before - 1);
  }

  @Test
  void aDeletionOrEditDoesNotMakeTheNextStartRebuildTheIndex() throws Exception {
    String gone = remember("jo", "Jo restores vintage typewriters.");
    String edited = remember("jo", "Jo sings in a choir.");
    remember("jo", "Jo cycles to work.");
    ok(send("DELETE", "/api/v1/memories/" + gone, null));
    ok(send("PATCH", "/api/v1/memories/" + edited, "{\"document\":\"Jo sings in a barbershop quartet.\",\"merge_strategy\":\"replace\"}"));
    rs.awaitIngested();
    rs.close();

    try (SynapServer again = SynapServer.start(dev.synap.server.config.ServerConfig.forTests(dir))) {
      var engine = again.engine();
      String instance = engine.tenancy().instances().getFirst().instanceId();
      // Ready at once: a rebuild (re-embedding every memory) would hold it back.
      assertThat(engine.index().ready(instance)).isTrue();
      assertThat(engine.index().forInstance(instance).size()).isEqualTo(engine.store().memories().count(instance));
    }
  }

  private String remember(String user, String text) throws Exception {
    JsonNode created = ok(rs.post("/api/v1/memories/create", "{\"document\":\"" + text + "\",\"user_id\":\"" + user + "\"}", rs.key));
    rs.awaitIngested();
    JsonNode status = ok(rs.get("/api/v1/memories/status/" + created.get("ingestion_id").asText(), rs.key));
    return status.get("memory_ids").get(0).asText();
  }

  private String fetch(String user, String query, int max) throws Exception {
    return ok(rs.post("/v1/context/user/fetch", "{\"user_id\":\"" + user + "\",\"search_query\":[\"" + query + "\"],\"mode\":\"fast\","
        + "\"max_results\":" + max + "}", rs.key)).toString();
  }

  /** The id of the best memory for the query. */
  private String top(String user, String query) throws Exception {
    JsonNode best = null;
    for (JsonNode items : JSON.readTree(fetch(user, query, 1)).get("context")) {
      for (JsonNode i : items) if (best == null || i.get("relevance_score").asDouble() > best.get("relevance_score").asDouble()) best = i;
    }
    return best == null ? null : best.get("id").asText();
  }

  private JsonNode ok(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + path))
        .header("Authorization", "Bearer " + rs.key).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
    return rs.http.send(req, HttpResponse.BodyHandlers.ofString());
  }
}
