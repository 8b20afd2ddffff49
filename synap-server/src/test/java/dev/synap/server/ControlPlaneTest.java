package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.proto.v1.HeartbeatPing;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import io.grpc.Status;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The control plane through a real server (issue 15 items 1-3): the admin credential and where it
 * is accepted, key permissions / expiry / revocation / rotation, and instances with their own
 * B2C / B2B mode, usage, archive and delete.
 */
class ControlPlaneTest extends AdminServerFixture {
  static void assertForbidden(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    JsonNode n = AdminApi.JSON.readTree(r.body());
    assertThat(n.get("code").asText()).isEqualTo("forbidden");
    assertThat(n.get("detail").asText()).isNotBlank();
  }

  @Test
  void theAdminCredentialIsAcceptedOnlyOnAdminRoutesAndInstanceKeysNeverThere() throws Exception {
    assertThat(admin.call("GET", "/dashboard/instances", null, admin.adminKey).statusCode()).isEqualTo(200);
    assertForbidden(admin.call("GET", "/dashboard/instances", null, rs.key));
    assertThat(admin.call("GET", "/dashboard/instances", null, null).statusCode()).isEqualTo(401);
    assertThat(admin.call("GET", "/dashboard/instances", null, "sk_admin_" + "0".repeat(40)).statusCode()).isEqualTo(401);
    // The admin credential is not an instance key.
    assertForbidden(admin.call("POST", "/v1/context/client/fetch", "{}", admin.adminKey));
    RunningServer.Stream s = rs.new Stream(channel, admin.adminKey);
    s.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(1)).build());
    assertThat(Status.fromThrowable(s.errors.poll(5, TimeUnit.SECONDS)).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    // Stored hashed: the secret appears in neither the database file nor its WAL.
    for (String f : List.of("synap.db", "synap.db-wal")) {
      Path p = dir.resolve(f);
      if (java.nio.file.Files.exists(p)) {
        assertThat(new String(java.nio.file.Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1))
            .doesNotContain(admin.adminKey.substring(9));
      }
    }
  }

  @Test
  void aReadOnlyKeyReadsButGets403OnWritesAndPermissionDeniedOnListen() throws Exception {
    String instance = admin.createInstance("ro", "b2c").get("instance_id").asText();
    String readOnly = admin.key(instance, "[\"memories:read\",\"context:read\"]");
    HttpResponse<String> write = admin.call("POST", "/v1/conversations/messages",
        "{\"conversation_id\":\"" + UUID.randomUUID() + "\",\"role\":\"user\",\"content\":\"hi\",\"user_id\":\"u1\"}", readOnly);
    assertForbidden(write);
    assertThat(write.body()).contains("memories:write");
    assertThat(admin.call("GET", "/api/v1/memories?user_id=u1", null, readOnly).statusCode()).isEqualTo(200);
    assertThat(admin.call("POST", "/v1/context/user/fetch", "{\"user_id\":\"u1\"}", readOnly).statusCode()).isEqualTo(200);
    assertForbidden(admin.call("POST", "/v1/telemetry/batch", "{\"events\":[]}", readOnly));

    RunningServer.Stream s = rs.new Stream(channel, readOnly);
    s.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(1)).build());
    Throwable t = s.errors.poll(5, TimeUnit.SECONDS);
    assertThat(t).isNotNull();
    assertThat(Status.fromThrowable(t).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);

    String streamer = admin.key(instance, "[\"stream\"]");
    RunningServer.Stream ok = rs.new Stream(channel, streamer);
    ok.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(1)).build());
    assertThat(ok.next(StreamResponse.PayloadCase.HEARTBEAT_PONG, 5000)).isNotNull();
    ok.requests.onCompleted();

    assertThat(admin.call("POST", "/dashboard/instances/" + instance + "/keys", "{\"permissions\":[\"memories:fly\"]}", admin.adminKey)
        .statusCode()).isEqualTo(400);
  }

  @Test
  void keysCarryLabelsTimesExpiryAndAreRevokedAndRotatedWithAGracePeriod() throws Exception {
    String instance = admin.createInstance("keys", "b2c").get("instance_id").asText();
    JsonNode created = admin.ok("POST", "/dashboard/instances/" + instance + "/keys",
        "{\"label\":\"deploy\",\"permissions\":[\"context:read\"],\"expires_in_days\":30}");
    String secret = created.get("api_key").asText();
    assertThat(created.get("label").asText()).isEqualTo("deploy");
    assertThat(created.get("expires_at").asText()).isNotBlank();
    assertThat(created.get("created_at").asText()).isNotBlank();
    assertThat(admin.call("GET", "/api/v1/auth/whoami", null, secret).statusCode()).isEqualTo(200);
    JsonNode listed = admin.ok("GET", "/dashboard/instances/" + instance + "/keys", null).get("keys").get(0);
    assertThat(listed.has("api_key")).as("secrets are shown once").isFalse();
    assertThat(listed.get("prefix").asText()).isEqualTo(secret.substring(0, 14));
    assertThat(listed.get("permissions").toString()).isEqualTo("[\"context:read\"]");
    assertThat(admin.call("POST", "/dashboard/instances/" + instance + "/keys", "{\"expires_at\":\"2001-01-01T00:00:00Z\"}", admin.adminKey)
        .statusCode()).isEqualTo(400);

    // Rotation: the successor works at once, the old key until its grace period ends.
    JsonNode rotated = admin.ok("POST", "/dashboard/keys/" + created.get("key_id").asText() + "/rotate", "{\"grace_seconds\":2}");
    String successor = rotated.get("api_key").asText();
    assertThat(rotated.get("permissions").toString()).isEqualTo("[\"context:read\"]");
    assertThat(admin.call("GET", "/api/v1/auth/whoami", null, successor).statusCode()).isEqualTo(200);
    assertThat(admin.call("GET", "/api/v1/auth/whoami", null, secret).statusCode()).as("old key within grace").isEqualTo(200);
    Thread.sleep(2_300);
    assertThat(admin.call("GET", "/api/v1/auth/whoami", null, secret).statusCode()).as("old key after grace").isEqualTo(401);
    assertThat(admin.call("GET", "/api/v1/auth/whoami", null, successor).statusCode()).isEqualTo(200);

    // Revocation takes effect at once.
    admin.ok("POST", "/dashboard/keys/" + rotated.get("key_id").asText() + "/revoke", "{\"reason\":\"leaked\"}");
    assertThat(admin.call("GET", "/api/v1/auth/whoami", null, successor).statusCode()).isEqualTo(401);
    JsonNode audit = admin.ok("GET", "/dashboard/audit?instance_id=" + instance, null).get("entries");
    List<String> actions = new ArrayList<>();
    audit.forEach(e -> actions.add(e.get("action").asText()));
    assertThat(actions).containsSubsequence("key.revoke", "key.rotate", "key.create", "instance.create");
    assertThat(audit.get(0).get("detail").get("reason").asText()).isEqualTo("leaked");
    assertThat(audit.get(0).get("actor").asText()).startsWith("admin:adm_");
  }

  @Test
  void instancesHaveTheirOwnModeUsagePagesAndAreArchivedThenDeleted() throws Exception {
    JsonNode b2b = admin.ok("POST", "/dashboard/instances",
        "{\"name\":\"support bot\",\"description\":\"prod\",\"metadata\":{\"env\":\"prod\"},\"user_context_isolation\":\"b2b\"}");
    String id = b2b.get("instance_id").asText();
    assertThat(id).matches("inst_[0-9a-f]{16}");
    String key = admin.key(id, null);
    JsonNode who = AdminApi.JSON.readTree(admin.call("GET", "/api/v1/auth/whoami", null, key).body());
    assertThat(who.get("instance_id").asText()).isEqualTo(id);
    assertThat(who.get("user_context_isolation").asText()).isEqualTo("b2b");
    assertThat(AdminApi.JSON.readTree(rs.get("/api/v1/auth/whoami", rs.key).body()).get("user_context_isolation").asText()).isEqualTo("b2c");
    // B2B: a user id alone is refused on this instance only.
    String conv = UUID.randomUUID().toString();
    assertThat(admin.call("POST", "/v1/conversations/messages",
        "{\"conversation_id\":\"" + conv + "\",\"role\":\"user\",\"content\":\"I live in Oslo.\",\"user_id\":\"u1\"}", key).statusCode()).isEqualTo(400);
    assertThat(admin.call("POST", "/v1/conversations/messages", "{\"conversation_id\":\"" + conv
        + "\",\"role\":\"user\",\"content\":\"I live in Oslo.\",\"user_id\":\"u1\",\"customer_id\":\"acme\"}", key).statusCode()).isEqualTo(200);
    rs.awaitIngested();

    admin.createInstance("third", "b2c");
    JsonNode page1 = admin.ok("GET", "/dashboard/instances?page=1&page_size=2", null);
    JsonNode page2 = admin.ok("GET", "/dashboard/instances?page=2&page_size=2", null);
    assertThat(page1.get("total").asInt()).isEqualTo(3); // the bootstrap instance, and two created
    assertThat(page1.get("instances").size()).isEqualTo(2);
    assertThat(page2.get("instances").size()).isEqualTo(1);
    assertThat(admin.call("GET", "/dashboard/instances?page_size=1000", null, admin.adminKey).statusCode()).isEqualTo(400);

    JsonNode got = admin.ok("GET", "/dashboard/instances/" + id, null);
    assertThat(got.get("memory_count").asLong()).isPositive();
    assertThat(got.get("api_calls_24h").asLong()).isGreaterThanOrEqualTo(3);
    assertThat(got.get("last_active_at").asText()).isNotBlank();
    assertThat(got.get("metadata").get("env").asText()).isEqualTo("prod");
    assertThat(admin.call("GET", "/v1/instance", null, key).statusCode()).isEqualTo(200);

    JsonNode updated = admin.ok("PATCH", "/dashboard/instances/" + id, "{\"name\":\"support bot v2\",\"metadata\":{\"env\":\"staging\"}}");
    assertThat(updated.get("name").asText()).isEqualTo("support bot v2");
    assertThat(updated.get("description").asText()).isEqualTo("prod");
    assertThat(updated.get("metadata").get("env").asText()).isEqualTo("staging");

    HttpResponse<String> early = admin.call("DELETE", "/dashboard/instances/" + id, null, admin.adminKey);
    assertThat(early.statusCode()).isEqualTo(409);
    assertThat(admin.ok("POST", "/dashboard/instances/" + id + "/archive", "{\"reason\":\"moved\"}").get("status").asText()).isEqualTo("archived");
    assertForbidden(admin.call("POST", "/v1/conversations/messages", "{\"conversation_id\":\"" + conv
        + "\",\"role\":\"user\",\"content\":\"x\",\"user_id\":\"u1\",\"customer_id\":\"acme\"}", key));
    assertThat(admin.call("GET", "/api/v1/memories?user_id=u1&customer_id=acme", null, key).statusCode()).as("reads still work").isEqualTo(200);
    assertThat(admin.call("POST", "/dashboard/instances/" + id + "/keys", "{}", admin.adminKey).statusCode()).isEqualTo(409);
    RunningServer.Stream listen = rs.new Stream(channel, key);
    listen.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(1)).build());
    assertThat(Status.fromThrowable(listen.errors.poll(5, TimeUnit.SECONDS)).getCode()).as("an archived instance takes no events")
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(admin.ok("GET", "/dashboard/instances", null).get("total").asInt()).as("archived hidden by default").isEqualTo(2);
    assertThat(admin.ok("GET", "/dashboard/instances?include_archived=true", null).get("total").asInt()).isEqualTo(3);

    admin.ok("DELETE", "/dashboard/instances/" + id + "?reason=done", null);
    assertThat(admin.call("GET", "/dashboard/instances/" + id, null, admin.adminKey).statusCode()).isEqualTo(404);
    assertThat(admin.call("GET", "/api/v1/auth/whoami", null, key).statusCode()).isEqualTo(401);
    assertThat(rs.server.engine().store().memories().count(id)).isZero();
    assertThat(rs.server.engine().store().messages().queueDepth()).isZero();
  }
}
