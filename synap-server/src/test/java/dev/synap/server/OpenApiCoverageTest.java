package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.server.http.OpenApi;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /openapi.json} describes exactly the routes the server registers: a route added without
 * its description, a description without its route, or path parameters named differently fail here.
 */
class OpenApiCoverageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void everyRegisteredRouteIsDescribedAndNothingElse() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      HttpResponse<String> r = rs.get("/openapi.json", null);
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode doc = JSON.readTree(r.body());
      assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");

      TreeSet<String> registered = new TreeSet<>();
      for (String route : rs.server.restRoutes()) if (OpenApi.describes(route.substring(route.indexOf(' ') + 1))) registered.add(route);
      TreeSet<String> described = new TreeSet<>();
      for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
        Map.Entry<String, JsonNode> p = paths.next();
        for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
          Map.Entry<String, JsonNode> op = ops.next();
          described.add(op.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey());
          assertThat(pathParameters(op.getValue())).as(op.getKey() + " " + p.getKey()).isEqualTo(templateNames(p.getKey()));
          JsonNode responses = op.getValue().get("responses");
          assertThat(responses.has("200")).as(p.getKey()).isTrue();
          for (String status : List.of("400", "401", "404", "429", "500")) {
            assertThat(responses.path(status).path("content").path("application/json").path("schema").path("$ref").asText())
                .as(status + " of " + p.getKey()).isEqualTo("#/components/schemas/ErrorEnvelope");
          }
        }
      }
      assertThat(registered).as("registered routes missing from /openapi.json").isSubsetOf(described);
      assertThat(described).as("described operations the server does not register").isSubsetOf(registered);
      assertThat(registered).hasSizeGreaterThan(25);

      // The described error envelope is what an error really looks like.
      JsonNode refused = JSON.readTree(rs.get("/api/v1/auth/whoami", "sk_live_nope").body());
      assertThat(refused.has("detail")).isTrue();
      assertThat(refused.path("code").asText()).isEqualTo("unauthenticated");
      assertThat(doc.at("/components/schemas/ErrorEnvelope/required/0").asText()).isEqualTo("detail");
    }
  }

  private static List<String> pathParameters(JsonNode op) {
    List<String> names = new ArrayList<>();
    for (JsonNode p : op.path("parameters")) if (p.path("in").asText().equals("path")) names.add(p.path("name").asText());
    return names;
  }

  private static List<String> templateNames(String path) {
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path);
    while (m.find()) names.add(m.group(1));
    return names;
  }
}
