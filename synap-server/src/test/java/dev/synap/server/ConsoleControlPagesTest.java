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

  @Test
  void adminDraftsReviewsDryRunsAndAppliesAConfigurationRotatesAKeyAndDeletesAnArchivedInstance() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      var engine = rs.server.engine();
      String instance = engine.tenancy().instances().getFirst().instanceId();
      for (String t : java.util.List.of("I feel so anxious about the exam tomorrow morning.", "I love spicy ramen.")) {
        assertThat(rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + java.util.UUID.randomUUID() + "\",\"user_id\":\"kim\","
            + "\"role\":\"user\",\"content\":\"" + t + "\"}", rs.key).statusCode()).isEqualTo(200);
      }
      rs.awaitIngested();
      var admin = engine.control().createAdminKey("test", "console");
      String cookie = signIn(rs, admin.secret());
      String cfg = "/console/instances/" + instance + "/memory-config";
      String page = get(rs, cfg, cookie).body();
      assertThat(page).contains("Create draft").contains("Generate draft from brief");
      String csrf = find("name=\"csrf\" value=\"([0-9a-f]+)\"", page);
      assertThat(post(rs, cfg + "/drafts", cookie, "config_text", "{}").statusCode()).as("no CSRF token").isEqualTo(403);

      // A pasted draft with an error flag: shown on its page, and the apply is refused until an edit fixes it.
      HttpResponse<String> draft = post(rs, cfg + "/drafts", cookie, "csrf", csrf, "config_text",
          "categories: {facts: false, preferences: false, episodes: false, emotions: false, temporal_events: false}\n", "reason", "pasted");
      assertThat(draft.statusCode()).isEqualTo(302);
      assertThat(draft.headers().firstValue("Location").orElseThrow()).startsWith(cfg + "/1?done=");
      String v1 = get(rs, cfg + "/1", cookie).body();
      assertThat(v1).contains("Review flags of version 1").contains("every category is off").contains("Not valid");
      assertThat(post(rs, cfg + "/1/apply", cookie, "csrf", csrf, "mode", "immediate").statusCode()).isEqualTo(409);
      assertThat(post(rs, cfg + "/1/edit", cookie, "csrf", csrf, "config_text", "categories: {emotions: false}\nconfidence_threshold: 0.5\n",
          "reason", "fixed").statusCode()).isEqualTo(302);
      v1 = get(rs, cfg + "/1", cookie).body();
      assertThat(v1).contains("Valid: it may be applied").contains("categories.emotions").doesNotContain("every category is off");
      assertThat(post(rs, cfg + "/1/edit", cookie, "csrf", csrf, "config_text", "colour: blue").statusCode()).as("unknown field").isEqualTo(400);

      // The dry run: the active (unconfigured) configuration keeps the emotion, the draft does not; nothing is stored.
      long memories = engine.store().memories().count(instance);
      String dry = get(rs, cfg + "/1/dry-run?messages=10", cookie).body();
      Matcher counts = Pattern.compile("the active configuration keeps (\\d+) memories, version 1 keeps (\\d+)").matcher(dry);
      assertThat(counts.find()).as(dry).isTrue();
      assertThat(Integer.parseInt(counts.group(1))).isGreaterThan(Integer.parseInt(counts.group(2)));
      assertThat(dry).contains("anxious").contains("ramen");
      assertThat(engine.store().memories().count(instance)).isEqualTo(memories);

      assertThat(post(rs, cfg + "/1/apply", cookie, "csrf", csrf, "mode", "graceful").statusCode()).isEqualTo(302);
      assertThat(engine.memoryConfigs().active(instance).extracts(dev.synap.core.model.MemoryType.EMOTION)).isFalse();
      assertThat(engine.memoryConfigs().version(instance, 1).stored().applyMode()).isEqualTo("graceful");

      // A draft from a use-case brief: the rules' decisions are its review flags.
      String brief = "# Objective\nBook appointments for patients.\n# Target users\nReceptionists at dental clinics.\n# Task examples\n"
          + "- The patient prefers morning appointments.\n# Behavioural guidelines\nBe concise.\n# Out of scope\nDo not discuss politics.\n";
      HttpResponse<String> fromBrief = post(rs, cfg + "/drafts", cookie, "csrf", csrf, "brief", brief);
      assertThat(fromBrief.statusCode()).isEqualTo(302);
      assertThat(fromBrief.headers().firstValue("Location").orElseThrow()).startsWith(cfg + "/2?done=");
      String v2 = get(rs, cfg + "/2", cookie).body();
      assertThat(v2).contains("suggest b2b").contains("politics").contains("brief");
      assertThat(engine.memoryConfigs().version(instance, 2).config().retrieval().contextBudgetTokens()).as("'concise'").isEqualTo(2000);
      assertThat(post(rs, cfg + "/2/apply", cookie, "csrf", csrf).statusCode()).isEqualTo(302);
      assertThat(post(rs, cfg + "/1/rollback", cookie, "csrf", csrf).statusCode()).isEqualTo(302);
      assertThat(engine.memoryConfigs().active(instance).retrieval().contextBudgetTokens()).isEqualTo(4096);

      // Rotation: the new key is on the answer page once; the old one works for the grace period, shown on the instance page.
      String old = engine.control().createKey("test", instance, "pipeline", dev.synap.core.control.Permission.all(), null).secret();
      String oldId = engine.tenancy().keys(instance).stream().filter(k -> k.label().equals("pipeline")).findFirst().orElseThrow().keyId();
      String base = "/console/instances/" + instance;
      assertThat(get(rs, base, cookie).body()).contains("Rotate ");
      HttpResponse<String> rotated = post(rs, base + "/keys/" + oldId + "/rotate", cookie, "csrf", csrf, "grace_hours", "2");
      assertThat(rotated.statusCode()).isEqualTo(200);
      assertThat(rotated.headers().firstValue("Location")).isEmpty();
      assertThat(rotated.body()).contains("shown only once").contains("keeps working until").contains("2 hours");
      String successor = find("value=\"(sk_live_[^\"]+)\"", rotated.body());
      assertThat(rs.get("/v1/memories", old).statusCode()).isEqualTo(200);
      assertThat(rs.get("/v1/memories", successor).statusCode()).isEqualTo(200);
      assertThat(get(rs, base, cookie).body()).contains("active until");
      String successorId = engine.tenancy().keys(instance).stream().filter(k -> k.label().equals("pipeline") && k.expiresAt() == null)
          .findFirst().orElseThrow().keyId();
      HttpResponse<String> now = post(rs, base + "/keys/" + successorId + "/rotate", cookie, "csrf", csrf, "grace_hours", "0");
      assertThat(now.body()).contains("it has stopped");
      assertThat(rs.get("/v1/memories", successor).statusCode()).isEqualTo(401);

      // Deleting an instance: only archived, only with its id typed.
      String doomed = engine.control().createInstance("test", "doomed", null, null, dev.synap.core.tenant.RelationshipMode.B2C).instanceId();
      String doomedBase = "/console/instances/" + doomed;
      assertThat(get(rs, doomedBase + "/delete", cookie).body()).contains("Only an archived instance");
      assertThat(post(rs, doomedBase + "/delete", cookie, "csrf", csrf, "confirm", doomed).statusCode()).isEqualTo(409);
      assertThat(post(rs, doomedBase + "/archive", cookie, "csrf", csrf).statusCode()).isEqualTo(302);
      assertThat(get(rs, doomedBase, cookie).body()).contains("Delete instance " + doomed);
      assertThat(get(rs, doomedBase + "/delete", cookie).body()).contains("Type the instance id");
      assertThat(post(rs, doomedBase + "/delete", cookie, "csrf", csrf, "confirm", "inst_wrong").statusCode()).isEqualTo(400);
      assertThat(post(rs, doomedBase + "/delete", cookie, "confirm", doomed).statusCode()).as("no CSRF token").isEqualTo(403);
      assertThat(engine.tenancy().instance(doomed)).isPresent();
      HttpResponse<String> deleted = post(rs, doomedBase + "/delete", cookie, "csrf", csrf, "confirm", doomed);
      assertThat(deleted.statusCode()).isEqualTo(302);
      assertThat(deleted.headers().firstValue("Location").orElseThrow()).startsWith("/console/instances?done=");
      assertThat(engine.tenancy().instance(doomed)).isEmpty();

      JsonNode entries = JSON.readTree(rs.get("/dashboard/audit?limit=200", admin.secret()).body()).get("entries");
      Set<String> actions = new HashSet<>();
      for (JsonNode e : entries) if (e.path("actor").asText().equals("admin:" + admin.info().keyId())) actions.add(e.path("action").asText());
      assertThat(actions).contains("memory_config.init", "memory_config.edit", "memory_config.apply", "memory_config.rollback", "key.rotate",
          "instance.archive", "instance.delete");

      String readOnly = signIn(rs, rs.key);
      assertThat(get(rs, cfg + "/1", readOnly).statusCode()).isEqualTo(403);
      assertThat(get(rs, cfg + "/1/dry-run", readOnly).statusCode()).isEqualTo(403);
      assertThat(get(rs, base, readOnly).body()).doesNotContain("Rotate ");
    }
  }
}
