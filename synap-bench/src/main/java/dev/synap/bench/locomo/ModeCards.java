package dev.synap.bench.locomo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One retriever's scorecards: per mode, over every question and over the tune and holdout conversations apart. */
final class ModeCards {
  final Map<String, Scorecard> byMode = new LinkedHashMap<>();
  private final Map<String, Map<Split, Scorecard>> bySplit = new LinkedHashMap<>();

  ModeCards() {
    for (String mode : LocomoBench.MODES) {
      byMode.put(mode, new Scorecard());
      Map<Split, Scorecard> cards = new LinkedHashMap<>();
      cards.put(Split.TUNE, new Scorecard());
      cards.put(Split.HOLDOUT, new Scorecard());
      bySplit.put(mode, cards);
    }
  }

  void add(String mode, String sampleId, int category, List<RankedTurns> ranked, Set<String> evidence) {
    byMode.get(mode).add(category, ranked, evidence);
    for (var s : bySplit.get(mode).entrySet()) if (s.getKey().includes(sampleId)) s.getValue().add(category, ranked, evidence);
  }

  Map<String, Object> modesJson() {
    Map<String, Object> modes = new LinkedHashMap<>();
    byMode.forEach((mode, card) -> modes.put(mode, card.json()));
    return modes;
  }

  Map<String, Object> splitsJson() {
    Map<String, Object> splits = new LinkedHashMap<>();
    bySplit.forEach((mode, cards) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      cards.forEach((s, card) -> m.put(s.toString(), card.json()));
      splits.put(mode, m);
    });
    return splits;
  }
}
