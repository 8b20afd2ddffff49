package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.tenant.RelationshipMode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DELETE /v1/conversations/{id}}: the conversation's turns, memories and context go; the
 * same user's other conversations stay; another instance's key sees nothing to delete.
 */
class ConversationDeletionTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  RunningServer rs;

  @AfterEach
  void stop() {
    if (rs != null) rs.close();
  }

  HttpResponse<String> delete(String path, String key) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + path))
        .header("Authorization", "Bearer " + key).DELETE().build();
    return rs.http.send(r, HttpResponse.BodyHandlers.ofString());
  }

  void record(String conversation, String content) throws Exception {
    String body = JSON.writeValueAsString(java.util.Map.of("conversation_id", conversation, "role", "user", "content", content, "user_id", "u1"));
    assertThat(rs.post("/v1/conversations/messages", body, rs.key).statusCode()).isEqualTo(200);
  }

  String userContext(String query) throws Exception {
    String body = JSON.writeValueAsString(java.util.Map.of("user_id", "u1", "search_query", java.util.List.of(query)));
    return rs.post("/v1/context/user/fetch", body, rs.key).body();
  }

  @Test
  void deletesOneConversationAndNothingElse() throws Exception {
    rs = new RunningServer(dir);
    String gone = UUID.randomUUID().toString();
    String kept = UUID.randomUUID().toString();
    record(gone, "My neighbour Brunhilde keeps seventeen alpacas.");
    record(kept, "My sister Odalys plays the bassoon.");
    assertThat(rs.server.engine().awaitIdle(Duration.ofSeconds(60))).isTrue();
    assertThat(userContext("alpacas")).contains("Brunhilde");

    String otherInstance = rs.server.engine().tenancy().createKey(
        rs.server.engine().tenancy().createInstance("other", RelationshipMode.B2C).instanceId(), "test").secret();
    assertThat(delete("/v1/conversations/" + gone, otherInstance).statusCode()).isEqualTo(404);

    HttpResponse<String> deleted = delete("/v1/conversations/" + gone, rs.key);
    assertThat(deleted.statusCode()).isEqualTo(200);
    JsonNode d = JSON.readTree(deleted.body());
    assertThat(d.path("conversation_id").asText()).isEqualTo(gone);
    assertThat(d.path("deleted").path("messages").asInt()).isEqualTo(1);
    assertThat(d.path("deleted").path("memories").asInt()).isPositive();

    assertThat(userContext("alpacas")).doesNotContain("Brunhilde");
    assertThat(userContext("bassoon")).contains("Odalys");
    assertThat(rs.get("/v1/conversations/" + gone + "/context-for-prompt", rs.key).statusCode()).isEqualTo(404);
    assertThat(rs.get("/v1/conversations/" + kept + "/context-for-prompt", rs.key).statusCode()).isEqualTo(200);
    assertThat(delete("/v1/conversations/" + gone, rs.key).statusCode()).isEqualTo(404);
    HttpResponse<String> notUuid = delete("/v1/conversations/chat-1", rs.key);
    assertThat(notUuid.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(notUuid.body()).has("detail")).isTrue();
  }
}
