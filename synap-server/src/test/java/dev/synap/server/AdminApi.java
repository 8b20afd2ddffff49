package dev.synap.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Raw calls to a running server's admin API (and any other route) with a chosen bearer. */
final class AdminApi {
  static final ObjectMapper JSON = new ObjectMapper();
  final RunningServer rs;
  final String adminKey;

  AdminApi(RunningServer rs) {
    this.rs = rs;
    this.adminKey = rs.server.engine().control().createAdminKey("test", "test").secret();
  }

  HttpResponse<String> call(String method, String path, String json, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + path))
        .header("Content-Type", "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (bearer != null) b.header("Authorization", "Bearer " + bearer);
    return rs.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** An admin call that must succeed; its JSON body. */
  JsonNode ok(String method, String path, String json) throws Exception {
    HttpResponse<String> r = call(method, path, json, adminKey);
    if (r.statusCode() != 200) throw new AssertionError(method + " " + path + " -> " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }

  JsonNode createInstance(String name, String isolation) throws Exception {
    return ok("POST", "/dashboard/instances", "{\"name\":\"" + name + "\",\"user_context_isolation\":\"" + isolation + "\"}");
  }

  /** A key of the instance with these permissions (JSON array text, or null for all); returns the secret. */
  String key(String instanceId, String permissionsJson) throws Exception {
    String body = permissionsJson == null ? "{\"label\":\"t\"}" : "{\"label\":\"t\",\"permissions\":" + permissionsJson + "}";
    return ok("POST", "/dashboard/instances/" + instanceId + "/keys", body).get("api_key").asText();
  }
}
