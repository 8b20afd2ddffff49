package dev.synap.core.compact;

import dev.synap.core.retrieve.Tokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads where a conversation stands from its last turns: open questions, announced next steps,
 * the participants and the current topic. Cue words, no model: cheap enough to run on every
 * compaction and honest about what it is.
 */
final class ConversationState {
  private static final Pattern NEXT_STEP = Pattern.compile(
      "\\b(i'll|i will|we'll|we will|going to|plan to|planning to|next|tomorrow|will try|gonna|let's|todo|to do|follow up)\\b");
  static final int OPEN_QUESTION_TURNS = 4;
  static final int NEXT_STEP_TURNS = 20;

  private ConversationState() {}

  static Map<String, Object> of(Transcript t) {
    List<Sentence> sentences = t.sentences();
    int lastTurn = t.messages().size() - 1;
    List<String> openQuestions = new ArrayList<>();
    List<String> nextSteps = new ArrayList<>();
    for (Sentence s : sentences) {
      if (s.question() && s.messageIndex() > lastTurn - OPEN_QUESTION_TURNS) openQuestions.add(s.line());
      if (!s.question() && s.messageIndex() > lastTurn - NEXT_STEP_TURNS
          && NEXT_STEP.matcher(s.text().toLowerCase(Locale.ROOT).replace('’', '\'')).find()) nextSteps.add(s.line());
    }
    Set<String> participants = new LinkedHashSet<>();
    for (Sentence s : sentences) participants.add(s.speaker());
    boolean awaiting = !sentences.isEmpty() && sentences.getLast().question();
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("status", awaiting ? "awaiting_response" : openQuestions.isEmpty() ? "active" : "open_questions");
    state.put("open_questions", last(openQuestions, 5));
    state.put("next_steps", last(nextSteps, 5));
    state.put("participants", List.copyOf(participants));
    state.put("current_topic", topic(t, lastTurn));
    state.put("turn_count", t.messages().size());
    state.put("token_count", t.messages().stream().mapToInt(m -> Tokens.estimate(m.content())).sum());
    if (!t.messages().isEmpty()) state.put("last_message_at", t.messages().getLast().occurredAt().toString());
    return state;
  }

  /** The rarest terms of the last five turns, a cheap stand-in for "what they are talking about". */
  private static List<String> topic(Transcript t, int lastTurn) {
    Set<String> terms = new LinkedHashSet<>();
    for (Sentence s : t.sentences()) if (s.messageIndex() > lastTurn - 5) terms.addAll(s.terms());
    return terms.stream().sorted((a, b) -> Double.compare(t.idf(b), t.idf(a))).limit(3).toList();
  }

  private static List<String> last(List<String> l, int n) {
    return List.copyOf(l.subList(Math.max(0, l.size() - n), l.size()));
  }
}
