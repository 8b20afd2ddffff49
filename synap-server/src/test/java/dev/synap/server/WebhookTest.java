package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.synap.server.config.ServerConfig;
import dev.synap.server.webhook.WebhookSettings;
import dev.synap.server.webhook.WebhookSigner;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks against a receiver on loopback (issue 15 item 8): signed deliveries with an id, test
 * mode, retries on 500 and on a receiver slower than the timeout, and a retry schedule that
 * survives a server restart. The schedule is shortened through configuration (the defaults are
 * 1 min, 5 min, 30 min, 2 h, 12 h and a 30 s timeout).
 */
class WebhookTest {
  @TempDir Path dir;
  RunningServer rs;
  AdminApi admin;
  HttpServer receiver;
  final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  /** The status the receiver answers with, per request number (1-based). */
  volatile IntSupplier answer = () -> 200;
  volatile long delayMillis;
  final AtomicInteger requests = new AtomicInteger();

  record Received(String body, String signature, String deliveryId, String event) {}

  static final WebhookSettings FAST = new WebhookSettings(List.of(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(300)),
      Duration.ofSeconds(1));

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      requests.incrementAndGet();
      try {
        if (delayMillis > 0) Thread.sleep(delayMillis);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
      received.add(new Received(new String(body, StandardCharsets.UTF_8), ex.getRequestHeaders().getFirst("X-Synap-Signature"),
          ex.getRequestHeaders().getFirst("X-Synap-Delivery"), ex.getRequestHeaders().getFirst("X-Synap-Event")));
      ex.sendResponseHeaders(answer.getAsInt(), -1);
      ex.close();
    });
    receiver.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    receiver.start();
    rs = new RunningServer(ServerConfig.forTests(dir).withWebhooks(FAST));
    admin = new AdminApi(rs);
  }

  @AfterEach
  void stop() {
    if (rs != null) rs.close();
    receiver.stop(0);
  }

  String url() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  JsonNode register(String instance, String types) throws Exception {
    return admin.ok("POST", "/dashboard/instances/" + instance + "/webhooks", "{\"url\":\"" + url() + "\",\"event_types\":" + types + "}");
  }

  JsonNode deliveryLog(String webhookId) throws Exception {
    return admin.ok("GET", "/dashboard/webhooks/" + webhookId + "/deliveries", null).get("deliveries");
  }

  JsonNode awaitStatus(String webhookId, String deliveryId, String status, long millis) throws Exception {
    long deadline = System.currentTimeMillis() + millis;
    while (true) {
      for (JsonNode d : deliveryLog(webhookId)) {
        if (d.get("delivery_id").asText().equals(deliveryId) && d.get("status").asText().equals(status)) return d;
      }
      if (System.currentTimeMillis() > deadline) throw new AssertionError(deliveryId + " never " + status + ": " + deliveryLog(webhookId));
      Thread.sleep(50);
    }
  }

  @Test
  void testModeSendsOneSignedSampleEventWithADeliveryId() throws Exception {
    String instance = admin.createInstance("hooks", "b2c").get("instance_id").asText();
    JsonNode hook = register(instance, "[\"ingestion.completed\"]");
    String secret = hook.get("secret").asText();
    assertThat(admin.call("POST", "/dashboard/instances/" + instance + "/webhooks", "{\"url\":\"http://example.com/x\",\"event_types\":"
        + "[\"ingestion.completed\"]}", admin.adminKey).statusCode()).as("plain http beyond loopback").isEqualTo(400);
    assertThat(admin.call("POST", "/dashboard/instances/" + instance + "/webhooks", "{\"url\":\"" + url() + "\",\"event_types\":"
        + "[\"memory.exploded\"]}", admin.adminKey).statusCode()).isEqualTo(400);

    JsonNode test = admin.ok("POST", "/dashboard/webhooks/" + hook.get("webhook_id").asText() + "/test", null);
    Received r = received.poll(10, TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    assertThat(r.signature()).isEqualTo(WebhookSigner.signature(secret, r.body().getBytes(StandardCharsets.UTF_8)));
    assertThat(r.signature()).matches("sha256=[0-9a-f]{64}");
    assertThat(r.deliveryId()).isEqualTo(test.get("delivery_id").asText());
    JsonNode body = AdminApi.JSON.readTree(r.body());
    assertThat(body.get("type").asText()).isEqualTo("webhook.test");
    assertThat(body.get("test").asBoolean()).isTrue();
    assertThat(body.get("delivery_id").asText()).isEqualTo(r.deliveryId());
    JsonNode logged = awaitStatus(hook.get("webhook_id").asText(), r.deliveryId(), "delivered", 5000);
    assertThat(logged.get("attempts").asInt()).isEqualTo(1);
    assertThat(logged.get("last_status_code").asInt()).isEqualTo(200);
    Thread.sleep(500);
    assertThat(received).as("exactly one sample event").isEmpty();
  }

  @Test
  void anEngineEventIsDeliveredAndA500IsRetriedOnTheScheduleUntilItSucceeds() throws Exception {
    String instance = admin.createInstance("hooks", "b2c").get("instance_id").asText();
    String key = admin.key(instance, null);
    JsonNode hook = register(instance, "[\"ingestion.completed\"]");
    answer = () -> requests.get() <= 2 ? 500 : 200;
    String body = AdminApi.JSON.createObjectNode().put("conversation_id", UUID.randomUUID().toString()).put("role", "user")
        .put("content", "I love green tea.").put("user_id", "kim").toString();
    JsonNode recorded = AdminApi.JSON.readTree(admin.call("POST", "/v1/conversations/messages", body, key).body());

    Received first = received.poll(10, TimeUnit.SECONDS);
    Received second = received.poll(5, TimeUnit.SECONDS);
    Received third = received.poll(5, TimeUnit.SECONDS);
    assertThat(third).as("three attempts").isNotNull();
    assertThat(first.event()).isEqualTo("ingestion.completed");
    assertThat(List.of(first.deliveryId(), second.deliveryId(), third.deliveryId())).as("one delivery id across retries").containsOnly(first.deliveryId());
    JsonNode data = AdminApi.JSON.readTree(third.body()).get("data");
    assertThat(data.get("message_id").asText()).isEqualTo(recorded.get("message_id").asText());
    assertThat(third.body()).as("payloads carry ids, never text").doesNotContain("green tea");
    JsonNode logged = awaitStatus(hook.get("webhook_id").asText(), first.deliveryId(), "delivered", 5000);
    assertThat(logged.get("attempts").asInt()).isEqualTo(3);
  }

  @Test
  void aReceiverSlowerThanTheTimeoutCountsAsAFailedAttemptAndIsRetriedThenGivenUpAfterTheLastRetry() throws Exception {
    String instance = admin.createInstance("hooks", "b2c").get("instance_id").asText();
    JsonNode hook = register(instance, "[\"ingestion.completed\"]");
    delayMillis = 2_500; // the timeout is 1 s
    String deliveryId = admin.ok("POST", "/dashboard/webhooks/" + hook.get("webhook_id").asText() + "/test", null).get("delivery_id").asText();
    JsonNode failed = awaitStatus(hook.get("webhook_id").asText(), deliveryId, "failed", 20_000);
    assertThat(failed.get("attempts").asInt()).as("the first attempt and three retries").isEqualTo(4);
    assertThat(failed.get("last_error").asText()).contains("timed out");
  }

  @Test
  void retriesSurviveARestartOfTheServer() throws Exception {
    rs.close();
    rs = new RunningServer(ServerConfig.forTests(dir).withWebhooks(new WebhookSettings(List.of(Duration.ofSeconds(3)), Duration.ofSeconds(1))));
    admin = new AdminApi(rs);
    String instance = admin.createInstance("hooks", "b2c").get("instance_id").asText();
    JsonNode hook = register(instance, "[\"ingestion.completed\"]");
    answer = () -> 500;
    String deliveryId = admin.ok("POST", "/dashboard/webhooks/" + hook.get("webhook_id").asText() + "/test", null).get("delivery_id").asText();
    assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull();
    awaitStatus(hook.get("webhook_id").asText(), deliveryId, "pending", 5000);
    rs.close(); // the retry is due in 3 s: it must come from the next server
    rs = null;
    answer = () -> 200;
    rs = new RunningServer(ServerConfig.forTests(dir).withWebhooks(new WebhookSettings(List.of(Duration.ofSeconds(3)), Duration.ofSeconds(1))));
    admin = new AdminApi(rs);
    Received retried = received.poll(15, TimeUnit.SECONDS);
    assertThat(retried).isNotNull();
    assertThat(retried.deliveryId()).isEqualTo(deliveryId);
    JsonNode logged = awaitStatus(hook.get("webhook_id").asText(), deliveryId, "delivered", 5000);
    assertThat(logged.get("attempts").asInt()).isEqualTo(2);
  }
}
