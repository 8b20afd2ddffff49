package dev.synap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.server.SynapServer;

/**
 * An instance's control-plane set-up made through the admin API, for the export round trips:
 * memory configuration versions in every state (superseded, a rollback that is active, a pending
 * draft) and webhooks (one registered, one deleted).
 */
final class ControlSetUp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ControlSetUp() {}

  /** Returns the live webhook's id. */
  static String apply(SynapServer server, String instanceId) throws Exception {
    Rest admin = new Rest(server, server.engine().control().createAdminKey("test", "export").secret());
    String base = "/dashboard/instances/" + instanceId;
    admin.ok("POST", base + "/memory-config/drafts", "{\"config_text\":\"categories: {emotions: false}\\nconfidence_threshold: 0.5\\n\",\"reason\":\"v1\"}");
    admin.ok("POST", base + "/memory-config/versions/1/apply", "{}");
    admin.ok("POST", base + "/memory-config/drafts", "{\"config\":{\"retrieval\":{\"default_mode\":\"accurate\"}},\"reason\":\"v2\"}");
    admin.ok("POST", base + "/memory-config/versions/2/apply", "{\"mode\":\"graceful\"}");
    admin.ok("POST", base + "/memory-config/rollback", "{\"version\":1,\"reason\":\"back\"}");
    admin.ok("POST", base + "/memory-config/drafts", "{\"config\":{\"anticipation\":{\"max_items\":3}},\"reason\":\"pending\"}");
    String live = JSON.readTree(admin.ok("POST", base + "/webhooks",
        "{\"url\":\"https://hooks.example.com/synap\",\"event_types\":[\"user.deleted\",\"memory.deleted\"],\"description\":\"crm\"}"))
        .get("webhook_id").asText();
    JsonNode gone = JSON.readTree(admin.ok("POST", base + "/webhooks", "{\"url\":\"http://127.0.0.1:9/old\",\"event_types\":[\"user.deleted\"]}"));
    admin.ok("DELETE", "/dashboard/webhooks/" + gone.get("webhook_id").asText(), null);
    assertThat(admin.ok("GET", base + "/memory-config", null)).contains("\"version\":3").contains("\"status\":\"active\"");
    return live;
  }
}
