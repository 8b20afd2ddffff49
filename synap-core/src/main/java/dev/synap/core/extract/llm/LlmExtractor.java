package dev.synap.core.extract.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synap.core.extract.ExtractedMemory;
import dev.synap.core.llm.ChatCompletion;
import dev.synap.core.extract.Extractor;
import dev.synap.core.model.Evidence;
import dev.synap.core.model.Message;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extraction by any OpenAI-compatible chat endpoint ({@code POST {base}/v1/chat/completions}),
 * asking for a strict JSON schema. Transport errors, 429 and 5xx are retried with backoff; a
 * timeout, a 4xx or an answer off the schema falls back to the offline extractor at once, so
 * ingestion never stalls on the model.
 */
public final class LlmExtractor implements Extractor {
  private static final Logger LOG = LoggerFactory.getLogger(LlmExtractor.class);
  private static final String INSTRUCTIONS = """
      You extract long-term memories about the speaker from one chat message.
      Return JSON {"memories": [...]} and nothing else. Each memory has:
      type: one of fact, preference, episode, emotion, temporal_event;
      content: one standalone sentence in the third person, naming the speaker instead of "I";
      confidence: number 0..1; category: short topic (food, activity, music, travel, work...) or null;
      event_date: ISO date (YYYY-MM-DD) the memory refers to, resolved against occurred_at, or null;
      temporal_category: perpetual, temporal_fact or episode;
      attributes: object (preference_direction like|dislike, strength, emotion, intensity, participants, attribute_key, attribute_value);
      entities: [{"name": ..., "type": person|place|organization|pet|thing}].
      Questions, greetings, thanks and small talk produce no memory. A retraction ("forget that") produces no memory.""";
  private final LlmSettings settings;
  private final Extractor fallback;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final LlmAnswerParser parser = new LlmAnswerParser(json);
  private final AtomicLong fallbacks = new AtomicLong();

  public LlmExtractor(LlmSettings settings, Extractor fallback) {
    this.settings = settings;
    this.fallback = fallback;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
  }

  /** How many messages went to the offline extractor instead (for metrics and tests). */
  public long fallbacks() {
    return fallbacks.get();
  }

  @Override
  public List<ExtractedMemory> extract(Message message) {
    String speaker = message.metadata() == null ? null : message.metadata().get("speaker");
    HttpRequest request = request(message);
    for (int attempt = 0; attempt <= settings.retries(); attempt++) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int code = response.statusCode();
        if (code == 200) return withEvidence(parser.parse(response.body(), speaker), message);
        if (code != 429 && code < 500) return fallBack(message, "HTTP " + code);
        LOG.debug("LLM answered {} (attempt {})", code, attempt + 1);
      } catch (HttpTimeoutException e) {
        return fallBack(message, "timed out after " + settings.timeout().toMillis() + " ms");
      } catch (LlmAnswerParser.MalformedAnswer e) {
        return fallBack(message, "malformed answer: " + e.getMessage());
      } catch (IOException e) {
        LOG.debug("LLM call failed (attempt {}): {}", attempt + 1, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fallBack(message, "interrupted");
      }
      if (!pause(100L << attempt)) return fallBack(message, "interrupted");
    }
    return fallBack(message, "no usable answer after " + (settings.retries() + 1) + " attempts");
  }

  /**
   * The model's typed memories, plus the offline extractor's source evidence (the informative
   * sentences it does not type), so that what retrieval can find does not depend on what the
   * model chose to type (issue #20). Offline typed memories are not added: the model's stand.
   */
  private List<ExtractedMemory> withEvidence(List<ExtractedMemory> typed, Message message) {
    List<ExtractedMemory> evidence = fallback.extract(message).stream().filter(e -> Evidence.is(e.attributes())).toList();
    if (evidence.isEmpty()) return typed;
    List<ExtractedMemory> out = new ArrayList<>(typed);
    out.addAll(evidence);
    return List.copyOf(out);
  }

  private List<ExtractedMemory> fallBack(Message message, String why) {
    fallbacks.incrementAndGet();
    LOG.info("LLM extraction fell back to the offline extractor for {}: {}", message.messageId(), why);
    return fallback.extract(message);
  }

  private HttpRequest request(Message message) {
    ObjectNode turn = json.createObjectNode();
    turn.put("speaker", message.metadata() == null ? null : message.metadata().get("speaker"));
    turn.put("role", message.role());
    turn.put("occurred_at", message.occurredAt().toString());
    turn.put("text", message.content());
    return ChatCompletion.request(settings.endpoint(), settings.apiKey(), settings.timeout(),
        ChatCompletion.withJsonSchema(ChatCompletion.body(settings.model(), INSTRUCTIONS, turn.toString()), "memories", MemorySchema.SCHEMA));
  }

  private static boolean pause(long ms) {
    try {
      Thread.sleep(ms);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
