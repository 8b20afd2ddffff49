package dev.synap.cli;

import dev.synap.server.SynapServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Raw REST calls on a real server on loopback. */
final class Rest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final SynapServer server;
  private final String key;

  Rest(SynapServer server, String key) {
    this.server = server;
    this.key = key;
  }

  HttpResponse<String> call(String method, String path, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String ok(String method, String path, String json) throws Exception {
    HttpResponse<String> r = call(method, path, json);
    if (r.statusCode() != 200) throw new AssertionError(method + " " + path + " -> " + r.statusCode() + " " + r.body());
    return r.body();
  }

  String record(String conversation, String user, String role, String content) throws Exception {
    return ok("POST", "/v1/conversations/messages", "{\"conversation_id\":\"" + conversation + "\",\"user_id\":\"" + user + "\",\"role\":\""
        + role + "\",\"content\":\"" + content + "\"}");
  }

  String fetchUser(String user, String query) throws Exception {
    return ok("POST", "/v1/context/user/fetch", "{\"user_id\":\"" + user + "\",\"search_query\":[\"" + query + "\"]}");
  }
}
