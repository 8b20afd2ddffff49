package dev.synap.core.compact;

import dev.synap.core.model.Memory;
import dev.synap.core.model.Message;
import dev.synap.core.retrieve.Tokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A conversation prepared for compaction: its turns split into sentences, the memories extracted
 * from it, and how rare each term is within it (rarer terms carry more information).
 */
final class Transcript {
  private final List<Message> messages;
  private final List<Memory> memories;
  private final List<Sentence> sentences;
  private final Map<String, Double> idf;
  private final Map<String, Integer> df;
  private final int originalTokens;

  Transcript(List<Message> messages, List<Memory> memories) {
    this.messages = List.copyOf(messages);
    this.memories = List.copyOf(memories);
    Map<String, Memory> strongestBySource = new HashMap<>();
    for (Memory m : memories) {
      for (String source : m.sourceMessageIds()) {
        strongestBySource.merge(source, m, (a, b) -> a.confidence() >= b.confidence() ? a : b);
      }
    }
    List<Sentence> out = new ArrayList<>();
    int tokens = 0;
    for (int i = 0; i < messages.size(); i++) {
      Message msg = messages.get(i);
      tokens += Tokens.estimate(msg.content());
      Memory memory = strongestBySource.get(msg.messageId());
      String speaker = speaker(msg);
      for (String text : TextFeatures.sentences(msg.content())) {
        Set<String> key = new LinkedHashSet<>(TextFeatures.entities(text));
        key.addAll(TextFeatures.numbersAndDates(text));
        out.add(new Sentence(out.size(), i, msg.messageId(), speaker, msg.occurredAt(), text, TextFeatures.contentWords(text), key,
            TextFeatures.isQuestion(text), TextFeatures.isFiller(text), memory == null ? 0 : memory.confidence(),
            memory == null ? null : memory.type().wireKey()));
      }
    }
    this.sentences = List.copyOf(out);
    this.originalTokens = tokens;
    this.df = documentFrequency(out);
    this.idf = inverseDocumentFrequency(df, out);
  }

  private static Map<String, Integer> documentFrequency(List<Sentence> sentences) {
    Map<String, Integer> df = new HashMap<>();
    for (Sentence s : sentences) for (String t : s.terms()) df.merge(t, 1, Integer::sum);
    return df;
  }

  private static Map<String, Double> inverseDocumentFrequency(Map<String, Integer> df, List<Sentence> sentences) {
    Map<String, Double> idf = new HashMap<>();
    int n = Math.max(1, sentences.size());
    df.forEach((t, f) -> idf.put(t, Math.log(1.0 + (double) n / f)));
    return idf;
  }

  /** Who said it: the transcript's speaker name when recorded, else the role. */
  static String speaker(Message m) {
    String named = m.metadata() == null ? null : m.metadata().get("speaker");
    if (named != null && !named.isBlank()) return named.strip();
    String role = m.role() == null ? "user" : m.role();
    return role.isEmpty() ? "User" : role.substring(0, 1).toUpperCase(Locale.ROOT) + role.substring(1);
  }

  List<Message> messages() {
    return messages;
  }

  List<Memory> memories() {
    return memories;
  }

  List<Sentence> sentences() {
    return sentences;
  }

  int originalTokens() {
    return originalTokens;
  }

  double idf(String term) {
    return idf.getOrDefault(term, 0.0);
  }

  /**
   * How much a term says. Rarity (idf) favours the specific details questions ask about; a damped
   * frequency factor (1 + ln df / 2) favours what the conversation keeps coming back to, so the
   * main topics are covered first and details after. Names, numbers and dates count 1.5x because
   * facts hinge on them and a summary that drops them loses the fact.
   */
  double weight(String term, Sentence in) {
    double w = idf(term) * (1 + 0.5 * Math.log(df.getOrDefault(term, 1)));
    return in.keyTerms().contains(term) ? w * 1.5 : w;
  }

  /** The terms an item must keep to count as preserved: its names/numbers/dates, plus its three rarest words. */
  Set<String> keyTermsOf(String text) {
    Set<String> key = new LinkedHashSet<>(TextFeatures.entities(text));
    key.addAll(TextFeatures.numbersAndDates(text));
    TextFeatures.contentWords(text).stream()
        .filter(t -> !key.contains(t))
        .sorted((a, b) -> Double.compare(idf(b), idf(a)))
        .limit(3)
        .forEach(key::add);
    return key;
  }
}
