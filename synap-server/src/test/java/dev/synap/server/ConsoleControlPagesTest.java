package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's control-plane pages over raw HTTP on a real server, signed in with a real admin
 * key: a key created with one permission works for reads and is refused for writes, memory
 * configuration versions are applied and rolled back, a webhook is registered, tested (its delivery
 * log shows the delivery a loopback receiver got) and deleted, the instance is archived (writes
 * refused), every change is an {@code audit_log} row, and an instance key's session gets none of it.
 */
class ConsoleControlPagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  private HttpResponse<String> get(RunningServer rs, String path, String cookie) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + path)).header("Cookie", cookie).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(RunningServer rs, String path, String cookie, String... form) throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < form.length; i += 2) {
      if (!body.isEmpty()) body.append('&');
      body.append(form[i]).append('=').append(URLEncoder.encode(form[i + 1], StandardCharsets.UTF_8));
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + path))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (cookie != null) b.header("Cookie", cookie);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String signIn(RunningServer rs, String key) throws Exception {
    String setCookie = post(rs, "/console/login", null, "key", key).headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static String find(String regex, String body) {
    Matcher m = Pattern.compile(regex).matcher(body);
    assertThat(m.find()).as(regex).isTrue();
    return m.group(1);
  }

  @Test
  void adminManagesKeysConfigurationsWebhooksAndArchiveFromTheConsole() throws Exception {
    AtomicInteger hooks = new AtomicInteger();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", ex -> {
      ex.getRequestBody().readAllBytes();
      hooks.incrementAndGet();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    receiver.start();
    try (RunningServer rs = new RunningServer(dir)) {
      var engine = rs.server.engine();
      String instance = engine.tenancy().instances().getFirst().instanceId();
      var admin = engine.control().createAdminKey("test", "console");
      String cookie = signIn(rs, admin.secret());
      String base = "/console/instances/" + instance;
      String page = get(rs, base, cookie).body();
      assertThat(page).contains("Archive instance").contains("Create key").contains("Memory configuration");
      String csrf = find("name=\"csrf\" value=\"([0-9a-f]+)\"", page);

      // A key with one permission: the secret is on the answer page once, never in a URL.
      HttpResponse<String> created = post(rs, base + "/keys", cookie, "csrf", csrf, "label", "reader", "permission", "memories:read");
      assertThat(created.statusCode()).isEqualTo(200);
      assertThat(created.headers().firstValue("Location")).isEmpty();
      assertThat(created.headers().firstValue("Cache-Control").orElseThrow()).isEqualTo("no-store");
      String reader = find("value=\"(sk_live_[^\"]+)\"", created.body());
      assertThat(rs.get("/v1/memories", reader).statusCode()).isEqualTo(200);
      assertThat(rs.post("/v1/conversations/messages", "{\"conversation_id\":\"c1\",\"content\":\"hi\"}", reader).statusCode()).isEqualTo(403);
      assertThat(post(rs, base + "/keys", cookie, "csrf", csrf, "label", "none").statusCode()).as("no permission chosen").isEqualTo(400);

      // Configuration versions: apply a draft, apply another, roll back to the first.
      String cfg = "/dashboard/instances/" + instance + "/memory-config/drafts";
      assertThat(rs.post(cfg, "{\"config\":{\"categories\":{\"emotions\":false}}}", admin.secret()).statusCode()).isEqualTo(200);
      assertThat(get(rs, base + "/memory-config", cookie).body()).contains("Apply version 1").contains("pending_review");
      assertThat(post(rs, base + "/memory-config/1/apply", cookie, "csrf", csrf).statusCode()).isEqualTo(302);
      assertThat(engine.memoryConfigs().active(instance).toJson().at("/categories/emotions").asBoolean()).isFalse();
      assertThat(rs.post(cfg, "{\"config\":{\"categories\":{\"emotions\":true}}}", admin.secret()).statusCode()).isEqualTo(200);
      assertThat(post(rs, base + "/memory-config/2/apply", cookie, "csrf", csrf).statusCode()).isEqualTo(302);
      assertThat(engine.memoryConfigs().active(instance).toJson().at("/categories/emotions").asBoolean()).isTrue();
      assertThat(get(rs, base + "/memory-config", cookie).body()).contains("Roll back to version 1");
      assertThat(post(rs, base + "/memory-config/1/rollback", cookie, "csrf", csrf).statusCode()).isEqualTo(302);
      assertThat(engine.memoryConfigs().active(instance).toJson().at("/categories/emotions").asBoolean()).isFalse();

      // Webhooks: register (secret shown once), test, see the delivery in the log, delete.
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      HttpResponse<String> hook = post(rs, base + "/webhooks", cookie, "csrf", csrf, "url", url, "event_types", "ingestion.completed");
      assertThat(hook.statusCode()).isEqualTo(200);
      assertThat(hook.body()).contains("shown only once").containsPattern("id=\"hook-secret\" type=\"text\" readonly value=\"[^\"]+\"");
      assertThat(post(rs, base + "/webhooks", cookie, "csrf", csrf, "url", url, "event_types", "memory.exploded").statusCode()).isEqualTo(400);
      String webhookId = engine.store().webhooks().list(instance).getFirst().webhookId();
      assertThat(post(rs, base + "/webhooks/" + webhookId + "/test", cookie, "csrf", csrf).statusCode()).isEqualTo(302);
      long until = System.currentTimeMillis() + 10_000;
      String hooksPage = "";
      while (System.currentTimeMillis() < until && !(hooksPage = get(rs, base + "/webhooks", cookie).body()).contains("delivered")) Thread.sleep(100);
      assertThat(hooks.get()).isEqualTo(1);
      assertThat(hooksPage).contains(url).contains("webhook.test (test)").contains("delivered").contains("HTTP 200");
      assertThat(post(rs, base + "/webhooks/" + webhookId + "/delete", cookie, "csrf", csrf).statusCode()).isEqualTo(302);
      assertThat(engine.store().webhooks().list(instance)).isEmpty();

      // Archive: reads go on, writes are refused.
      assertThat(post(rs, base + "/archive", cookie, "csrf", csrf).statusCode()).isEqualTo(302);
      assertThat(get(rs, base, cookie).body()).contains("archived").doesNotContain("Archive instance");
      assertThat(rs.post("/v1/conversations/messages", "{\"conversation_id\":\"c1\",\"content\":\"hi\"}", rs.key).statusCode()).isEqualTo(403);
      assertThat(rs.get("/v1/memories", rs.key).statusCode()).isEqualTo(200);

      // Every change is in the admin API's audit log under this admin key.
      JsonNode entries = JSON.readTree(rs.get("/dashboard/audit?limit=100&instance_id=" + instance, admin.secret()).body()).get("entries");
      Set<String> actions = new HashSet<>();
      for (JsonNode e : entries) if (e.path("actor").asText().equals("admin:" + admin.info().keyId())) actions.add(e.path("action").asText());
      assertThat(actions).contains("key.create", "memory_config.apply", "memory_config.rollback", "webhook.create", "webhook.delete", "instance.archive");

      // An instance key's session sees none of the control pages and can change nothing.
      String readOnly = signIn(rs, rs.key);
      assertThat(get(rs, base + "/webhooks", readOnly).statusCode()).isEqualTo(403);
      assertThat(get(rs, base + "/memory-config", readOnly).statusCode()).isEqualTo(403);
      assertThat(get(rs, base, readOnly).body()).doesNotContain("Create key");
    } finally {
      receiver.stop(0);
    }
  }
}
