package dev.synap.core.retrieve.question;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.extract.llm.LlmSettings;
import dev.synap.core.llm.ChatCompletion;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accurate mode's question rewrite by the configured OpenAI-compatible LLM (the endpoint extraction
 * uses). The model answers strict JSON: up to {@value #MAX_QUERIES} standalone search queries (the
 * question's parts, or a clearer wording of it) and the answer's shape. The queries become the
 * plan's sub-queries, searched beside the question as written, so a poor rewrite cannot remove
 * what the question itself finds; the period stays the rules' (they read dates exactly).
 *
 * <p>One attempt, bounded by a small timeout (a fetch is waiting); any failure (timeout, HTTP
 * error, bad JSON, off-schema answer) returns empty and the caller uses the rules' plan unchanged.
 * Answers are cached per question text (least recently used, {@value #CACHE_SIZE} entries); a
 * failure is remembered for {@link #RETRY_AFTER}, so a model that is down costs each repeated
 * question one timeout per minute rather than one per fetch.
 */
public final class LlmQuestionRewriter implements QuestionRewriter {
  private static final Logger LOG = LoggerFactory.getLogger(LlmQuestionRewriter.class);
  static final int MAX_QUERIES = 4;
  static final int MAX_QUERY_CHARS = 300;
  static final int CACHE_SIZE = 2_000;
  static final Duration RETRY_AFTER = Duration.ofSeconds(60);
  private static final String INSTRUCTIONS = """
      You prepare a question for a search over a person's remembered conversations.
      Answer JSON {"queries": [...], "shape": ...} and nothing else.
      queries: 1 to 4 short standalone search queries that together find every memory needed to answer:
      one per person, thing or event the question combines or compares ("What do Jon and Gina both like?"
      -> "things Jon likes", "things Gina likes"), else one clearer wording of the question. Keep names.
      shape: "count" (how many times, how often), "duration" (how long, time between events),
      "when" (asks for a date), or "answer" (anything else).""";
  private static final Map<String, Object> SCHEMA = Map.of("type", "object", "additionalProperties", false, "required", List.of("queries", "shape"),
      "properties", Map.of("queries", Map.of("type", "array", "items", Map.of("type", "string")),
          "shape", Map.of("type", "string", "enum", List.of("answer", "when", "duration", "count"))));

  private record Cached(Optional<QuestionPlan> plan, long atNanos) {}

  private final LlmSettings settings;
  private final Duration timeout;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Cached> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
      return size() > CACHE_SIZE;
    }
  };
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  public LlmQuestionRewriter(LlmSettings settings, Duration timeout) {
    this.settings = settings;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Requests sent to the model (for tests and metrics). */
  public long calls() {
    return calls.get();
  }

  /** Requests that gave no usable rewrite. */
  public long failures() {
    return failures.get();
  }

  @Override
  public Optional<QuestionPlan> rewrite(String question, QuestionPlan offline) {
    synchronized (cache) {
      Cached c = cache.get(question);
      if (c != null && (c.plan().isPresent() || System.nanoTime() - c.atNanos() < RETRY_AFTER.toNanos())) return c.plan();
    }
    // Two fetches of a new question at once may both ask; the answer is the same, and holding the
    // lock over a network call would make every other question wait.
    Optional<QuestionPlan> plan = ask(question, offline);
    synchronized (cache) {
      cache.put(question, new Cached(plan, System.nanoTime()));
    }
    return plan;
  }

  private Optional<QuestionPlan> ask(String question, QuestionPlan offline) {
    calls.incrementAndGet();
    try {
      HttpResponse<String> r = http.send(request(question), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) return failed(question, "HTTP " + r.statusCode());
      Optional<QuestionPlan> plan = parse(json.readTree(ChatCompletion.content(r.body())), question, offline);
      return plan.isPresent() ? plan : failed(question, "answer off the schema");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(question, "interrupted");
    } catch (Exception e) {
      return failed(question, e.toString());
    }
  }

  /** The model's answer as a plan, or empty when any part of it is off the schema. */
  static Optional<QuestionPlan> parse(JsonNode answer, String question, QuestionPlan offline) {
    if (answer == null || !answer.isObject()) return Optional.empty();
    JsonNode queries = answer.get("queries");
    JsonNode shape = answer.get("shape");
    if (queries == null || !queries.isArray() || queries.isEmpty() || queries.size() > MAX_QUERIES) return Optional.empty();
    if (shape == null || !shape.isTextual()) return Optional.empty();
    QuestionPlan.Shape s;
    try {
      s = QuestionPlan.Shape.valueOf(shape.asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    for (JsonNode q : queries) {
      if (!q.isTextual() || q.asText().isBlank() || q.asText().length() > MAX_QUERY_CHARS) return Optional.empty();
      String text = q.asText().strip();
      if (!text.equalsIgnoreCase(question.strip()) && !parts.contains(text)) parts.add(text);
    }
    return Optional.of(new QuestionPlan(question, parts, s, offline.time(), "llm"));
  }

  private Optional<QuestionPlan> failed(String question, String why) {
    failures.incrementAndGet();
    LOG.info("LLM question rewrite not used, the rules' plan stands ({} chars): {}", question.length(), why);
    return Optional.empty();
  }

  private HttpRequest request(String question) {
    return ChatCompletion.request(settings.endpoint(), settings.apiKey(), timeout,
        ChatCompletion.withJsonSchema(ChatCompletion.body(settings.model(), INSTRUCTIONS, question), "question_plan", SCHEMA));
  }
}
