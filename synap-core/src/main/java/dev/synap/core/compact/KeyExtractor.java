package dev.synap.core.compact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Sorts the sentences a summary kept into facts, decisions, preferences and constraints. A
 * preference memory of the turn, or preference words, make a preference; decision and constraint
 * cue words make those; any other kept sentence that states a name, number or date, or whose turn
 * produced a memory, is a fact. Questions are never extractions.
 */
final class KeyExtractor {
  static final int MAX_PER_LIST = 50;
  private static final Pattern DECISION = Pattern.compile(
      "\\b(decided|decide to|decision|agreed|settled on|chose|chosen|going with|go with|we'll use|will use|opted|picked|final answer|the plan is)\\b");
  private static final Pattern CONSTRAINT = Pattern.compile(
      "\\b(must|must not|can't|cannot|can not|have to|has to|need to|needs to|deadline|budget|no more than|at most|at least|allergic|not allowed|required|requirement|never)\\b");
  private static final Pattern PREFERENCE = Pattern.compile(
      "\\b(love|loves|like|likes|prefer|prefers|favorite|favourite|hate|hates|enjoy|enjoys|passionate|into)\\b");

  private KeyExtractor() {}

  static KeyExtractions of(List<Sentence> kept) {
    List<Sentence> ordered = new ArrayList<>(kept);
    ordered.sort(Comparator.comparingInt(Sentence::index));
    List<Map<String, Object>> facts = new ArrayList<>();
    List<Map<String, Object>> decisions = new ArrayList<>();
    List<Map<String, Object>> preferences = new ArrayList<>();
    List<Map<String, Object>> constraints = new ArrayList<>();
    for (Sentence s : ordered) {
      if (s.question() || s.filler()) continue;
      String lower = s.text().toLowerCase(Locale.ROOT).replace('’', '\'');
      if ("preferences".equals(s.memoryType()) || PREFERENCE.matcher(lower).find()) add(preferences, s);
      else if (DECISION.matcher(lower).find()) add(decisions, s);
      else if (CONSTRAINT.matcher(lower).find()) add(constraints, s);
      else if (!s.keyTerms().isEmpty() || s.memoryWeight() > 0) add(facts, s);
    }
    return new KeyExtractions(facts, decisions, preferences, constraints);
  }

  private static void add(List<Map<String, Object>> list, Sentence s) {
    if (list.size() >= MAX_PER_LIST) list.removeFirst(); // keep the most recent ones
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("content", s.text());
    item.put("speaker", s.speaker());
    item.put("message_id", s.messageId());
    item.put("at", s.at() == null ? null : s.at().toString());
    item.put("confidence", s.memoryWeight() > 0 ? s.memoryWeight() : 0.6);
    list.add(item);
  }
}
