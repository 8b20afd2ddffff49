package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The configuration workflow and the brief (issue 15 items 5 and 6) through a real server: init
 * from a brief or JSON, pending review with flags, edit, validate, dry-run on the last messages
 * beside the active configuration, apply, rollback, and the audit log of who did what and why.
 */
class ConfigWorkflowTest extends AdminServerFixture {
  static final String CLINIC_BRIEF = """
      # Objective
      Help front-desk staff run their patients' appointments.

      ## Target users
      Receptionists at dental clinics: our customers are the clinics, each with many patients.

      ## Task examples
      - Book a cleaning appointment for next week.
      - Remember which hygienist the patient prefers.

      ## Behavioural guidelines
      Be concise and friendly.

      ## Out of scope
      - Do not discuss politics or religion.
      - Never keep payment card numbers.
      - Patients' email addresses.
      """;

  @Test
  void aBriefBecomesAConfigurationByRulesWithoutAnLlm() throws Exception {
    String instance = admin.createInstance("clinic", "b2c").get("instance_id").asText();
    JsonNode draft = admin.ok("POST", "/dashboard/instances/" + instance + "/memory-config/drafts",
        AdminApi.JSON.createObjectNode().put("brief", CLINIC_BRIEF).toString());
    assertThat(draft.get("status").asText()).isEqualTo("pending_review");
    assertThat(draft.get("source").asText()).isEqualTo("brief");
    assertThat(draft.get("suggested_user_context_isolation").asText()).isEqualTo("b2b");
    JsonNode c = draft.get("config");
    assertThat(c.get("categories").get("facts").asBoolean()).isTrue();
    assertThat(c.get("categories").get("preferences").asBoolean()).as("'prefers' in the task examples").isTrue();
    assertThat(c.get("categories").get("temporal_events").asBoolean()).as("'appointment', 'next week'").isTrue();
    assertThat(c.get("categories").get("emotions").asBoolean()).isFalse();
    assertThat(c.get("never_remember").get("topics").toString()).contains("politics").contains("religion");
    assertThat(c.get("never_remember").get("emails").asBoolean()).isTrue();
    assertThat(c.get("never_remember").get("card_numbers").asBoolean()).isTrue();
    assertThat(c.get("retrieval").get("context_budget_tokens").asInt()).as("'concise'").isEqualTo(2000);
    List<String> flagged = new ArrayList<>();
    draft.get("review_flags").forEach(f -> {
      assertThat(f.get("severity").asText()).isIn("info", "warning", "error");
      assertThat(f.get("reason").asText()).isNotBlank();
      flagged.add(f.get("field").asText());
    });
    assertThat(flagged).contains("user_context_isolation", "never_remember.topics", "categories.emotions");

    JsonNode consumer = admin.ok("POST", "/dashboard/instances/" + instance + "/memory-config/drafts", AdminApi.JSON.createObjectNode()
        .put("brief", "## Target users\nIndividual travellers planning holidays.\n## Task examples\n- How did I feel about my last trip?\n")
        .toString());
    assertThat(consumer.get("suggested_user_context_isolation").asText()).isEqualTo("b2c");
    assertThat(consumer.get("config").get("categories").get("emotions").asBoolean()).isTrue();
    assertThat(consumer.get("config").get("categories").get("episodes").asBoolean()).isTrue();

    String huge = "## Objective\n" + "x".repeat(513 * 1024);
    assertThat(admin.call("POST", "/dashboard/instances/" + instance + "/memory-config/drafts",
        AdminApi.JSON.createObjectNode().put("brief", huge).toString(), admin.adminKey).statusCode()).isEqualTo(400);
  }

  @Test
  void initReviewEditValidateDryRunApplyRollbackAndEveryStepIsAudited() throws Exception {
    String instance = admin.createInstance("bot", "b2c").get("instance_id").asText();
    String key = admin.key(instance, null);
    for (String t : List.of("I feel so anxious about the exam tomorrow morning.", "I love spicy ramen.", "Write to me at kim.tan@example.com.")) {
      String body = AdminApi.JSON.createObjectNode().put("conversation_id", UUID.randomUUID().toString()).put("role", "user").put("content", t)
          .put("user_id", "kim").toString();
      assertThat(admin.call("POST", "/v1/conversations/messages", body, key).statusCode()).isEqualTo(200);
    }
    rs.awaitIngested();
    String base = "/dashboard/instances/" + instance + "/memory-config";
    assertThat(admin.ok("GET", base, null).get("status").asText()).isEqualTo("unconfigured");

    JsonNode v1 = admin.ok("POST", base + "/drafts", "{\"config\":{\"categories\":{\"emotions\":false}},\"reason\":\"no feelings\"}");
    assertThat(v1.get("version").asInt()).isEqualTo(1);
    assertThat(v1.get("status").asText()).isEqualTo("pending_review");
    assertThat(v1.get("review_flags").toString()).contains("categories.emotions");
    assertThat(admin.call("POST", base + "/drafts", "{\"config\":{\"categorys\":{}}}", admin.adminKey).statusCode())
        .as("unknown fields are refused").isEqualTo(400);

    JsonNode edited = admin.ok("PUT", base + "/versions/1", AdminApi.JSON.createObjectNode()
        .put("config_text", "categories:\n  emotions: false\nnever_remember:\n  emails: true\n").put("reason", "privacy review").toString());
    assertThat(edited.get("config").get("never_remember").get("emails").asBoolean()).isTrue();

    JsonNode valid = admin.ok("POST", base + "/versions/1/validate", null);
    assertThat(valid.get("valid").asBoolean()).isTrue();
    assertThat(valid.get("changes").has("categories.emotions")).isTrue();
    assertThat(valid.get("changes").has("never_remember.emails")).isTrue();
    assertThat(valid.get("changes").has("confidence_threshold")).as("unconfigured keeps everything; a configuration brings 0.7").isTrue();

    JsonNode dry = admin.ok("POST", base + "/versions/1/dry-run?messages=10", null);
    assertThat(dry.get("messages").asInt()).isEqualTo(3);
    JsonNode anxious = row(dry, "anxious");
    assertThat(anxious.get("active").toString()).contains("emotion");
    assertThat(anxious.get("draft").toString()).doesNotContain("emotion");
    JsonNode email = row(dry, "kim.tan");
    assertThat(email.get("draft_text").asText()).contains("[redacted email]").doesNotContain("kim.tan");
    assertThat(email.get("active_text").asText()).contains("kim.tan@example.com");
    assertThat(row(dry, "ramen").get("draft").toString()).contains("ramen");

    JsonNode applied = admin.ok("POST", base + "/versions/1/apply", "{\"mode\":\"immediate\",\"reason\":\"go\"}");
    assertThat(applied.get("status").asText()).isEqualTo("active");
    assertThat(admin.ok("GET", base, null).get("version").asInt()).isEqualTo(1);
    assertThat(admin.call("POST", base + "/versions/1/apply", "{}", admin.adminKey).statusCode()).isEqualTo(409);
    assertThat(admin.call("PUT", base + "/versions/1", "{\"config\":{}}", admin.adminKey).statusCode()).as("applied versions are not edited")
        .isEqualTo(409);

    JsonNode broken = admin.ok("POST", base + "/drafts", "{\"config\":{\"categories\":{\"facts\":false,\"preferences\":false,"
        + "\"episodes\":false,\"emotions\":false,\"temporal_events\":false}}}");
    assertThat(broken.get("review_flags").toString()).contains("\"severity\":\"error\"");
    HttpResponse<String> refused = admin.call("POST", base + "/versions/" + broken.get("version").asInt() + "/apply", "{}", admin.adminKey);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("config_has_errors");

    JsonNode v3 = admin.ok("POST", base + "/drafts", "{\"config\":{\"confidence_threshold\":0.9}}");
    admin.ok("POST", base + "/versions/" + v3.get("version").asInt() + "/apply", "{\"mode\":\"graceful\"}");
    assertThat(admin.ok("GET", base, null).get("apply_mode").asText()).isEqualTo("graceful");

    JsonNode rolledBack = admin.ok("POST", base + "/rollback", "{\"version\":1,\"reason\":\"0.9 dropped too much\"}");
    assertThat(rolledBack.get("version").asInt()).isEqualTo(4);
    assertThat(rolledBack.get("status").asText()).isEqualTo("active");
    assertThat(rolledBack.get("source").asText()).isEqualTo("rollback:v1");
    assertThat(rolledBack.get("config")).isEqualTo(edited.get("config"));
    List<String> statuses = new ArrayList<>();
    admin.ok("GET", base + "/versions", null).get("versions").forEach(v -> statuses.add(v.get("version").asInt() + ":" + v.get("status").asText()));
    assertThat(statuses).containsExactly("4:active", "3:superseded", "2:pending_review", "1:superseded");

    List<String> audit = new ArrayList<>();
    admin.ok("GET", "/dashboard/audit?instance_id=" + instance, null).get("entries").forEach(e -> {
      if (e.get("action").asText().startsWith("memory_config.")) {
        assertThat(e.get("actor").asText()).startsWith("admin:");
        audit.add(e.get("action").asText() + " " + e.get("target").asText() + " " + e.get("detail").path("reason").asText(""));
      }
    });
    assertThat(audit).containsSubsequence("memory_config.rollback v4 0.9 dropped too much", "memory_config.apply v3 ",
        "memory_config.apply v1 go", "memory_config.edit v1 privacy review", "memory_config.init v1 no feelings");
  }

  private static JsonNode row(JsonNode dry, String containing) {
    for (JsonNode r : dry.get("rows")) if (r.get("active_text").asText().contains(containing)) return r;
    throw new AssertionError("no dry-run row with " + containing + ": " + dry);
  }
}
