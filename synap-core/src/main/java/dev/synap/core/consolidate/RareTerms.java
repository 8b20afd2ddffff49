package dev.synap.core.consolidate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which of a statement's words are worth searching for when looking for its near-copies.
 *
 * <p>Prefix filtering: if two word sets have Jaccard similarity at least {@code t}, they share at
 * least {@code ceil(t * |A|)} of A's words, so any {@code |A| - ceil(t * |A|) + 1} of A's words
 * include one they share. Searching for those few words instead of all of them finds every
 * near-copy, whatever order the words are taken in; taking the rarest first keeps the search
 * small, because a common word ("note", "love") matches a large part of the store while a rare one
 * matches almost nothing. Rarity is counted here, in memory, from the statements seen since start:
 * an estimate is enough, since the order only changes speed, never what is found.
 */
final class RareTerms {
  /** Distinct words counted at most; later new words count as unseen (rare), which is still correct. */
  static final int MAX_WORDS = 500_000;
  private final ConcurrentHashMap<String, Integer> seen = new ConcurrentHashMap<>();

  /** The words of {@code tokens} to search for so that every set within Jaccard {@code threshold} is found. */
  List<String> prefix(Set<String> tokens, double threshold) {
    int overlap = (int) Math.ceil(threshold * tokens.size() - 1e-9);
    int size = Math.max(1, tokens.size() - overlap + 1);
    List<String> ordered = new ArrayList<>(tokens);
    ordered.sort(Comparator.<String>comparingInt(t -> seen.getOrDefault(t, 0)).thenComparing(Comparator.comparingInt(String::length).reversed())
        .thenComparing(Comparator.naturalOrder()));
    return List.copyOf(ordered.subList(0, Math.min(size, ordered.size())));
  }

  void count(Set<String> tokens) {
    for (String t : tokens) {
      if (seen.size() < MAX_WORDS || seen.containsKey(t)) seen.merge(t, 1, Integer::sum);
    }
  }
}
