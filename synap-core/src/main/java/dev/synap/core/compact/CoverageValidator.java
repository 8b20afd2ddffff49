package dev.synap.core.compact;

import dev.synap.core.model.Memory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The validation score: which share of the original's key items survive in the compacted text.
 *
 * <p>Key items are the current memories extracted from the conversation; when extraction has
 * produced none yet, the sentences that name someone or state a number or date stand in for
 * them. An item survives when at least {@value #SURVIVAL} of its key terms (names, numbers,
 * dates and its three rarest words, see {@link Transcript#keyTermsOf}) appear in the text.
 */
final class CoverageValidator {
  static final double SURVIVAL = 0.6;

  private CoverageValidator() {}

  static double score(Transcript t, String compacted) {
    Set<String> present = TextFeatures.contentWords(compacted);
    List<Set<String>> items = keyItems(t);
    if (items.isEmpty()) return 1.0;
    int survived = 0;
    for (Set<String> item : items) if (survives(item, present)) survived++;
    return (double) survived / items.size();
  }

  static boolean survives(Set<String> keyTerms, Set<String> present) {
    if (keyTerms.isEmpty()) return true;
    int found = 0;
    for (String k : keyTerms) if (present.contains(k)) found++;
    return found >= SURVIVAL * keyTerms.size();
  }

  private static List<Set<String>> keyItems(Transcript t) {
    List<Set<String>> items = new ArrayList<>();
    for (Memory m : t.memories()) {
      if (!m.isCurrent()) continue;
      Set<String> key = t.keyTermsOf(m.content());
      if (!key.isEmpty()) items.add(key);
    }
    if (!items.isEmpty()) return items;
    for (Sentence s : t.sentences()) {
      if (!s.keyTerms().isEmpty() && !s.question()) items.add(t.keyTermsOf(s.text()));
    }
    return items;
  }
}
