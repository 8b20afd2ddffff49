package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's session rules over raw HTTP on a real server: the cookie is HttpOnly and
 * SameSite=Strict, the key never appears in a page or a URL, changes need the CSRF token and an
 * admin session, another instance's pages do not exist for an instance key, logout ends the session.
 */
class ConsoleSessionTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  private HttpResponse<String> get(RunningServer rs, String path, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + path)).GET();
    if (cookie != null) b.header("Cookie", cookie);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(RunningServer rs, String path, String cookie, String origin, String... form) throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < form.length; i += 2) {
      if (!body.isEmpty()) body.append('&');
      body.append(form[i]).append('=').append(URLEncoder.encode(form[i + 1], StandardCharsets.UTF_8));
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + path))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (cookie != null) b.header("Cookie", cookie);
    if (origin != null) b.header("Origin", origin);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void instanceKeySessionReadsItsInstanceAndChangesNothing() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      String conv = UUID.randomUUID().toString();
      assertThat(rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + conv
          + "\",\"user_id\":\"alice\",\"role\":\"user\",\"content\":\"My dog is called Rex.\"}", rs.key).statusCode()).isEqualTo(200);
      rs.awaitIngested();
      String instance = rs.server.engine().tenancy().instances().getFirst().instanceId();

      HttpResponse<String> login = get(rs, "/console", null);
      assertThat(login.statusCode()).isEqualTo(200);
      assertThat(login.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'");
      assertThat(login.body()).contains("<label for=\"key\">").doesNotContain("<script");

      assertThat(post(rs, "/console/login", null, null, "key", "sk_live_wrong").headers().firstValue("Location").orElseThrow()).contains("why=refused");
      HttpResponse<String> in = post(rs, "/console/login", null, null, "key", rs.key);
      assertThat(in.statusCode()).isEqualTo(302);
      assertThat(in.headers().firstValue("Location").orElseThrow()).isEqualTo("/console/instances/" + instance).doesNotContain(rs.key);
      String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/console").doesNotContain(rs.key);
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));

      HttpResponse<String> page = get(rs, "/console/instances/" + instance + "/users/alice", cookie);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Rex").contains("History of").doesNotContain(rs.key).doesNotContain("Delete memory");
      assertThat(get(rs, "/console/instances/ins_other", cookie).statusCode()).isEqualTo(404);

      Matcher m = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"").matcher(page.body());
      assertThat(m.find()).isTrue();
      String csrf = m.group(1);
      String memory = rs.server.engine().store().memories().list(dev.synap.core.store.MemoryFilter.user(instance, null, "alice"), 1, 0).getFirst().memoryId();
      String delete = "/console/instances/" + instance + "/memories/" + memory + "/delete";
      assertThat(post(rs, delete, cookie, null).statusCode()).as("no CSRF token").isEqualTo(403);
      assertThat(post(rs, delete, cookie, "http://evil.example", "csrf", csrf).statusCode()).as("another origin").isEqualTo(403);
      HttpResponse<String> readOnly = post(rs, delete, cookie, null, "csrf", csrf);
      assertThat(readOnly.statusCode()).isEqualTo(403);
      assertThat(readOnly.body()).contains("read-only");
      assertThat(rs.server.engine().store().memories().get(instance, memory)).isPresent();

      assertThat(post(rs, "/console/logout", cookie, null, "csrf", csrf).statusCode()).isEqualTo(302);
      HttpResponse<String> after = get(rs, "/console/instances/" + instance, cookie);
      assertThat(after.statusCode()).isEqualTo(302);
      assertThat(after.headers().firstValue("Location").orElseThrow()).contains("/console?why=signed-out");
    }
  }
  /** An admin key from the control plane signs in; its changes go through the admin API's engine calls and land in audit_log. */
  @Test
  void adminKeySessionActsAndTheAuditLogHoldsIt() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      String conv = UUID.randomUUID().toString();
      assertThat(rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + conv
          + "\",\"user_id\":\"alice\",\"role\":\"user\",\"content\":\"My dog is called Rex.\"}", rs.key).statusCode()).isEqualTo(200);
      rs.awaitIngested();
      var engine = rs.server.engine();
      String instance = engine.tenancy().instances().getFirst().instanceId();
      var admin = engine.control().createAdminKey("test", "console");

      HttpResponse<String> in = post(rs, "/console/login", null, null, "key", admin.secret());
      assertThat(in.headers().firstValue("Location").orElseThrow()).isEqualTo("/console/instances");
      String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(setCookie).doesNotContain(admin.secret());
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));

      HttpResponse<String> page = get(rs, "/console/instances/" + instance + "/users/alice", cookie);
      assertThat(page.body()).contains("Delete memory").doesNotContain(admin.secret());
      Matcher m = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"").matcher(page.body());
      assertThat(m.find()).isTrue();
      String csrf = m.group(1);
      String memory = engine.store().memories().list(dev.synap.core.store.MemoryFilter.user(instance, null, "alice"), 1, 0).getFirst().memoryId();
      assertThat(post(rs, "/console/instances/" + instance + "/memories/" + memory + "/delete", cookie, null, "csrf", csrf).statusCode()).isEqualTo(302);
      assertThat(engine.store().memories().get(instance, memory)).isEmpty();

      var sdkKey = engine.tenancy().createKey(instance, "to-revoke");
      assertThat(rs.get("/api/v1/auth/whoami", sdkKey.secret()).statusCode()).isEqualTo(200);
      assertThat(post(rs, "/console/instances/" + instance + "/keys/" + sdkKey.info().keyId() + "/revoke", cookie, null, "csrf", csrf)
          .statusCode()).isEqualTo(302);
      assertThat(rs.get("/api/v1/auth/whoami", sdkKey.secret()).statusCode()).isEqualTo(401);

      HttpResponse<String> created = post(rs, "/console/instances", cookie, null, "csrf", csrf, "name", "from the console", "mode", "b2b");
      String newInstance = created.headers().firstValue("Location").orElseThrow().substring("/console/instances/".length());
      assertThat(engine.control().instance(newInstance).mode().wireName()).isEqualTo("b2b");

      // The same audit log the admin API serves, with the actor the admin API would name.
      String actor = "admin:" + admin.info().keyId();
      var audit = new com.fasterxml.jackson.databind.ObjectMapper().readTree(rs.get("/dashboard/audit?limit=50", admin.secret()).body()).get("entries");
      java.util.Map<String, String> byAction = new java.util.HashMap<>();
      for (var e : audit) if (e.path("actor").asText().equals(actor)) byAction.put(e.path("action").asText(), e.path("target").asText());
      assertThat(byAction).containsEntry("memory.delete", memory).containsEntry("key.revoke", sdkKey.info().keyId())
          .containsEntry("instance.create", newInstance);

      // Revoking the admin key ends its open session, and the key no longer signs in.
      engine.control().revokeAdminKey("test", admin.info().keyId());
      HttpResponse<String> ended = get(rs, "/console/instances", cookie);
      assertThat(ended.statusCode()).isEqualTo(302);
      assertThat(ended.headers().firstValue("Location").orElseThrow()).contains("why=signed-out");
      assertThat(post(rs, "/console/login", null, null, "key", admin.secret()).headers().firstValue("Location").orElseThrow()).contains("why=refused");
    }
  }
}
