package dev.synap.bench.locomo;

import java.util.List;

/** Anything the bench can score: ranks items for a question, best first. */
public interface TurnRanker {
  List<RankedTurns> rank(String question);
}
