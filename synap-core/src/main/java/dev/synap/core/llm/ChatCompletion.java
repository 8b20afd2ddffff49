package dev.synap.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

/**
 * The wire shape of an OpenAI-compatible chat completions call, in one place for every optional
 * LLM use (extraction, question rewriting, brief refinement, summaries): a deterministic request
 * of a system and a user message, the HTTP request carrying it, and the text of the answer. Each
 * caller keeps its own instructions, schema, timeout and what it does when the model fails.
 */
public final class ChatCompletion {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ChatCompletion() {}

  /** A request body at temperature 0 with one system and one user message; callers add {@code response_format} or limits. */
  public static ObjectNode body(String model, String system, String user) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    body.put("temperature", 0);
    var messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", system);
    messages.addObject().put("role", "user").put("content", user);
    return body;
  }

  /** Asks for an answer that follows {@code schema} strictly (structured outputs). */
  public static ObjectNode withJsonSchema(ObjectNode body, String name, Map<String, Object> schema) {
    body.set("response_format", JSON.valueToTree(Map.of("type", "json_schema", "json_schema", Map.of("name", name, "strict", true, "schema", schema))));
    return body;
  }

  /** The POST of {@code body} to {@code endpoint}, with the key as a bearer token when there is one. */
  public static HttpRequest request(URI endpoint, String apiKey, Duration timeout, ObjectNode body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(timeout).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (apiKey != null && !apiKey.isBlank()) b.header("Authorization", "Bearer " + apiKey);
    return b.build();
  }

  /** The text of the first choice of a reply body; {@link IllegalStateException} when the reply has none. */
  public static String content(String replyBody) throws IOException {
    JsonNode content = JSON.readTree(replyBody).path("choices").path(0).path("message").path("content");
    if (!content.isTextual()) throw new IllegalStateException("no choices[0].message.content in the reply");
    return content.asText();
  }
}
