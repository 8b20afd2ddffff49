package dev.synap.core.compact;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synap.core.llm.ChatCompletion;
import dev.synap.core.retrieve.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Optional summarizer behind any OpenAI-compatible chat endpoint ({@code POST <url>/chat/completions}).
 *
 * <p>Never a single point of failure: a timeout, a non-200 answer, an empty or unparsable reply
 * all fall back to the extractive summary (the summarizer name then says so). A transcript too
 * long for one request is first compacted extractively to {@value #MAX_INPUT_TOKENS} tokens. The
 * model's text is trimmed to the target at sentence boundaries; which original sentences it kept
 * is judged by key-term coverage, like the validation score.
 */
final class ChatSummarizer implements Summarizer {
  private static final Logger LOG = LoggerFactory.getLogger(ChatSummarizer.class);
  static final int MAX_INPUT_TOKENS = 12_000;
  private static final String INSTRUCTIONS = "You compact conversations for an AI agent's memory. Write a faithful summary of the "
      + "conversation below in at most %d tokens. Keep every name, number, date, decision, preference and constraint; keep who "
      + "said what; use absolute dates (each turn group is dated). Drop greetings and repetition. Answer with the summary only.";

  private final CompactionSettings.LlmSettings settings;
  private final Summarizer fallback;
  private final HttpClient http;

  ChatSummarizer(CompactionSettings.LlmSettings settings, Summarizer fallback) {
    this.settings = settings;
    this.fallback = fallback;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).version(HttpClient.Version.HTTP_1_1).build();
  }

  @Override
  public SummaryDraft summarize(Transcript t, int targetTokens) {
    try {
      String input = t.originalTokens() <= MAX_INPUT_TOKENS
          ? SummaryLayout.render(t.sentences())
          : fallback.summarize(t, MAX_INPUT_TOKENS).text();
      String text = trim(ask(input, targetTokens), targetTokens);
      if (text.isBlank()) throw new IllegalStateException("empty reply");
      return new SummaryDraft(text, kept(t, text), "llm:" + settings.model());
    } catch (Exception e) {
      LOG.warn("LLM summarizer failed ({}); using the extractive summary", e.toString());
      SummaryDraft d = fallback.summarize(t, targetTokens);
      return new SummaryDraft(d.text(), d.kept(), d.summarizer() + " (llm fallback)");
    }
  }

  private String ask(String transcript, int targetTokens) throws Exception {
    ObjectNode body = ChatCompletion.body(settings.model(), INSTRUCTIONS.formatted(targetTokens), transcript);
    body.put("max_tokens", Math.max(16, targetTokens));
    HttpResponse<String> r = http.send(ChatCompletion.request(URI.create(settings.baseUrl() + "/chat/completions"), settings.apiKey(),
        settings.timeout(), body), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode());
    return ChatCompletion.content(r.body()).strip();
  }

  /** Models overshoot a token limit stated in words; cut at the last sentence that fits. */
  static String trim(String text, int targetTokens) {
    if (Tokens.estimate(text) <= targetTokens) return text;
    StringBuilder out = new StringBuilder();
    for (String s : TextFeatures.sentences(text)) {
      if (Tokens.estimate(out + " " + s) > targetTokens) break;
      if (!out.isEmpty()) out.append(' ');
      out.append(s);
    }
    return out.toString();
  }

  private static List<Sentence> kept(Transcript t, String text) {
    Set<String> present = TextFeatures.contentWords(text);
    List<Sentence> kept = new ArrayList<>();
    for (Sentence s : t.sentences()) {
      if (!s.keyTerms().isEmpty() && CoverageValidator.survives(t.keyTermsOf(s.text()), present)) kept.add(s);
    }
    return kept;
  }
}
