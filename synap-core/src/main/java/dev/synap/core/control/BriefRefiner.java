package dev.synap.core.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synap.core.extract.llm.LlmSettings;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Improves the rules' configuration with the optional LLM (any OpenAI-compatible chat endpoint,
 * the one extraction uses): the model gets the brief and the rules' configuration and answers a
 * configuration in the same JSON shape. Its answer is parsed and validated like any other; when
 * there is no LLM, or it fails, times out or answers something invalid, the rules' configuration
 * stands and a flag says why. What the model changed comes back as flags, so review sees it.
 */
public final class BriefRefiner {
  private static final String INSTRUCTIONS = """
      You configure an agent memory platform from a use-case brief. You receive the brief and a
      configuration derived from it by rules. Answer with the improved configuration only: one JSON
      object with exactly the same fields and value types as the one given (categories, confidence_threshold,
      retention, never_remember, compaction, retrieval, anticipation). Keep what the brief supports;
      change only what the brief clearly implies.""";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LlmSettings settings;
  private final HttpClient http;

  /** @param settings the LLM endpoint, or null: then {@link #refine} returns the rules' result unchanged */
  public BriefRefiner(LlmSettings settings) {
    this.settings = settings;
    this.http = settings == null ? null : HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
  }

  public BriefRules.Result refine(String brief, BriefRules.Result rules) {
    if (settings == null) return rules;
    List<ReviewFlag> flags = new ArrayList<>(rules.flags());
    try {
      ObjectNode body = JSON.createObjectNode();
      body.put("model", settings.model());
      body.put("temperature", 0);
      var messages = body.putArray("messages");
      messages.addObject().put("role", "system").put("content", INSTRUCTIONS);
      messages.addObject().put("role", "user").put("content", "Brief:\n" + brief + "\n\nConfiguration from the rules:\n" + rules.config().toJson());
      body.putObject("response_format").put("type", "json_object");
      HttpRequest.Builder b = HttpRequest.newBuilder(settings.endpoint()).timeout(settings.timeout()).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
      if (settings.apiKey() != null && !settings.apiKey().isBlank()) b.header("Authorization", "Bearer " + settings.apiKey());
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode());
      JsonNode content = JSON.readTree(r.body()).path("choices").path(0).path("message").path("content");
      if (!content.isTextual()) throw new IllegalStateException("no message content");
      MemoryConfig improved = MemoryConfig.fromNode(JSON.readTree(content.asText()));
      var changes = improved.diff(rules.config());
      changes.forEach((field, pair) -> flags.add(ReviewFlag.warning(field, "the LLM changed it from " + pair.get(0) + " to " + pair.get(1))));
      if (changes.isEmpty()) flags.add(ReviewFlag.info("llm", "the LLM kept the rules' configuration"));
      List<ReviewFlag> all = new ArrayList<>(flags);
      all.addAll(ConfigReview.flags(improved).stream().filter(f -> !flags.contains(f)).toList());
      return new BriefRules.Result(improved, rules.isolation(), all, rules.sections());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      flags.add(ReviewFlag.info("llm", "interrupted; the rules' configuration stands"));
    } catch (Exception e) {
      flags.add(ReviewFlag.info("llm", "the LLM's answer was not used (" + e.getMessage() + "); the rules' configuration stands"));
    }
    return new BriefRules.Result(rules.config(), rules.isolation(), flags, rules.sections());
  }
}
