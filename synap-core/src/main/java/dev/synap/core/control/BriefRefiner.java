package dev.synap.core.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synap.core.extract.llm.LlmSettings;
import dev.synap.core.llm.ChatCompletion;
import java.net.http.HttpClient;
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
      ObjectNode body = ChatCompletion.body(settings.model(), INSTRUCTIONS,
          "Brief:\n" + brief + "\n\nConfiguration from the rules:\n" + rules.config().toJson());
      body.putObject("response_format").put("type", "json_object");
      HttpResponse<String> r = http.send(ChatCompletion.request(settings.endpoint(), settings.apiKey(), settings.timeout(), body),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode());
      String content = ChatCompletion.content(r.body());
      MemoryConfig improved = MemoryConfig.fromNode(JSON.readTree(content));
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
