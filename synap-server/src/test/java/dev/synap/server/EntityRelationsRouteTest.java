package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/entities/{id}/relations} over raw HTTP on a real server: both directions, superseded on request, typed errors. */
class EntityRelationsRouteTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  RunningServer rs;

  @AfterEach
  void stop() {
    if (rs != null) rs.close();
  }

  @Test
  void anEntitysRelationsNameBothEndsAndTheMemory() throws Exception {
    rs = new RunningServer(dir);
    String conv = UUID.randomUUID().toString();
    say(conv, "My sister Anna works at Initech.");
    rs.awaitIngested();
    say(conv, "Anna now works at Globex Corporation.");
    rs.awaitIngested();
    String anna = entityId("Anna");

    JsonNode current = ok(rs.get("/api/v1/entities/" + anna + "/relations", rs.key));
    assertThat(current.get("name").asText()).isEqualTo("Anna");
    assertThat(current.get("relations")).anySatisfy(r -> {
      assertThat(r.get("relation").asText()).isEqualTo("sister");
      assertThat(r.get("direction").asText()).isEqualTo("incoming");
      assertThat(r.get("subject").get("name").asText()).isEqualTo("alice");
      assertThat(r.get("memory_id").asText()).isNotBlank();
    });
    assertThat(current.get("relations")).filteredOn(r -> r.get("relation").asText().equals("works_at")).singleElement()
        .satisfies(r -> assertThat(r.get("object").get("name").asText()).isEqualTo("Globex Corporation"));

    JsonNode all = ok(rs.get("/api/v1/entities/" + anna + "/relations?status=all", rs.key));
    assertThat(all.get("relations")).filteredOn(r -> r.get("relation").asText().equals("works_at")).hasSize(2)
        .anySatisfy(r -> {
          assertThat(r.get("object").get("name").asText()).isEqualTo("Initech");
          assertThat(r.get("status").asText()).isEqualTo("superseded");
          assertThat(r.get("superseded_by").asText()).isNotBlank();
        });

    assertThat(rs.get("/api/v1/entities/no-such-entity/relations", rs.key).statusCode()).isEqualTo(404);
    var bad = rs.get("/api/v1/entities/" + anna + "/relations?status=maybe", rs.key);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).get("code").asText()).as(bad.body()).isNotBlank();
  }

  private String entityId(String name) throws Exception {
    for (JsonNode e : ok(rs.get("/api/v1/entities", rs.key)).get("entities")) if (e.get("name").asText().equals(name)) return e.get("entity_id").asText();
    throw new AssertionError("no entity " + name);
  }

  private void say(String conversation, String content) throws Exception {
    ok(rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + conversation + "\",\"role\":\"user\",\"user_id\":\"alice\",\"content\":\""
        + content + "\"}", rs.key));
  }

  private JsonNode ok(java.net.http.HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
