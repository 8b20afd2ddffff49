package dev.synap.core.extract.llm;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how to call an OpenAI-compatible chat endpoint.
 *
 * @param baseUrl e.g. {@code http://127.0.0.1:8000}; {@code /v1/chat/completions} is appended
 * @param apiKey sent as a bearer token; may be null for local servers
 * @param timeout per attempt; a slower answer falls back to the offline extractor
 * @param retries extra attempts after a transport error or a 5xx/429 answer
 */
public record LlmSettings(URI baseUrl, String apiKey, String model, Duration timeout, int retries) {

  /** Reads {@code SYNAP_LLM_BASE_URL}, {@code SYNAP_LLM_API_KEY}, {@code SYNAP_LLM_MODEL}, {@code SYNAP_LLM_TIMEOUT_MS}. */
  public static Optional<LlmSettings> fromEnvironment(Map<String, String> env) {
    String base = env.get("SYNAP_LLM_BASE_URL");
    if (base == null || base.isBlank()) return Optional.empty();
    long timeoutMs = Long.parseLong(env.getOrDefault("SYNAP_LLM_TIMEOUT_MS", "15000"));
    return Optional.of(new LlmSettings(URI.create(base.strip()), env.get("SYNAP_LLM_API_KEY"),
        env.getOrDefault("SYNAP_LLM_MODEL", "gpt-4o-mini"), Duration.ofMillis(timeoutMs), 2));
  }

  /** The chat completions URL under the base URL. */
  public URI endpoint() {
    String b = baseUrl.toString().replaceAll("/+$", "");
    return URI.create(b.endsWith("/v1") ? b + "/chat/completions" : b + "/v1/chat/completions");
  }
}
