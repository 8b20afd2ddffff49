package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Source evidence (issue #20) over raw HTTP on a real server: it is fetched as a contract-legal
 * fact marked {@code metadata.kind = evidence}, the memories API names its kind, and the console
 * lists it after the typed memories, in a section of its own.
 */
class EvidenceOnTheWireTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void evidenceTravelsAsAMarkedFactAndComesAfterTypedMemories() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      String conv = UUID.randomUUID().toString();
      for (String text : new String[] {"I love hiking in the mountains.", "Your brother's new bakery downtown sells the best cinnamon rolls in the whole city."}) {
        assertThat(rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + conv + "\",\"user_id\":\"alice\",\"role\":\"user\",\"content\":\""
            + text + "\"}", rs.key).statusCode()).isEqualTo(200);
      }
      rs.awaitIngested();

      JsonNode rolls = find(fetch(rs, "where are the best cinnamon rolls?").get("facts"), "cinnamon");
      assertThat(rolls.get("metadata").get("kind").asText()).isEqualTo("evidence");
      assertThat(find(fetch(rs, "what does alice like doing?").get("preferences"), "hiking").get("metadata").get("kind").asText()).isEqualTo("typed");

      JsonNode memory = JSON.readTree(rs.get("/api/v1/memories/" + rolls.get("id").asText(), rs.key).body());
      assertThat(memory.get("memory_type").asText()).isEqualTo("fact");
      assertThat(memory.get("kind").asText()).isEqualTo("evidence");

      String instance = rs.server.engine().tenancy().instances().getFirst().instanceId();
      HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + "/console/login"))
          .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("key=" + rs.key)).build(),
          HttpResponse.BodyHandlers.ofString());
      String cookie = in.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
      String page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + "/console/instances/" + instance + "/users/alice"))
          .header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
      int preferences = page.indexOf("<h2>preferences</h2>");
      int evidence = page.indexOf("<h2>source evidence</h2>");
      assertThat(preferences).isNotNegative();
      assertThat(evidence).isGreaterThan(preferences);
      assertThat(page.indexOf("cinnamon rolls")).isGreaterThan(evidence);
      assertThat(page.indexOf("hiking in the mountains")).isBetween(preferences, evidence);
    }
  }

  private static JsonNode fetch(RunningServer rs, String query) throws Exception {
    HttpResponse<String> fetched = rs.post("/v1/context/user/fetch", "{\"user_id\":\"alice\",\"search_query\":[\"" + query + "\"]}", rs.key);
    assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
    return JSON.readTree(fetched.body()).get("context");
  }

  private static JsonNode find(JsonNode items, String containing) {
    for (JsonNode i : items) if (i.get("content").asText().contains(containing)) return i;
    throw new AssertionError("no item containing '" + containing + "' in " + items);
  }
}
