package dev.synap.bench.locomo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A hand-made ranking whose recall values are worked out below by hand. */
class EvidenceRecallTest {
  // Rank 1 cites D1:1 then D1:2; rank 2 repeats D1:2 (not counted twice); rank 3 is D2:5; rank 4 is D3:1.
  // Distinct turns in order: D1:1, D1:2, D2:5, D3:1.
  private static final List<RankedTurns> RANKING = List.of(
      new RankedTurns(List.of("D1:1", "D1:2"), "x".repeat(40)), // 10 tokens
      new RankedTurns(List.of("D1:2"), "x".repeat(40)), // 10 tokens
      new RankedTurns(List.of("D2:5"), "x".repeat(80)), // 20 tokens
      new RankedTurns(List.of("D3:1"), "x".repeat(40))); // 10 tokens
  private static final Set<String> EVIDENCE = Set.of("D1:2", "D3:1");

  @Test
  void recallCountsDistinctTurnsInRankOrder() {
    assertThat(EvidenceRecall.firstTurns(RANKING, 3)).containsExactly("D1:1", "D1:2", "D2:5");
    assertThat(EvidenceRecall.recallAt(RANKING, EVIDENCE, 1)).isEqualTo(0.0); // {D1:1}
    assertThat(EvidenceRecall.recallAt(RANKING, EVIDENCE, 2)).isEqualTo(0.5); // {D1:1, D1:2}
    assertThat(EvidenceRecall.recallAt(RANKING, EVIDENCE, 3)).isEqualTo(0.5); // + D2:5
    assertThat(EvidenceRecall.recallAt(RANKING, EVIDENCE, 4)).isEqualTo(1.0); // + D3:1
    assertThat(EvidenceRecall.recallAt(RANKING, EVIDENCE, 10)).isEqualTo(1.0);
  }

  @Test
  void reciprocalRankIsOverDistinctTurns() {
    assertThat(EvidenceRecall.reciprocalRank(RANKING, EVIDENCE)).isEqualTo(0.5); // D1:2 is the 2nd distinct turn
    assertThat(EvidenceRecall.reciprocalRank(RANKING, Set.of("D9:9"))).isEqualTo(0.0);
  }

  @Test
  void tokenRecallKeepsItemsThatFitTheBudget() {
    assertThat(EvidenceRecall.recallWithinTokens(RANKING, EVIDENCE, 40)).isEqualTo(0.5); // 10+10+20 fit; D3:1 does not
    assertThat(EvidenceRecall.recallWithinTokens(RANKING, EVIDENCE, 50)).isEqualTo(1.0);
  }

  @Test
  void scorecardAveragesAndSeparatesTheAdversarialCategory() {
    Scorecard card = new Scorecard();
    card.add(4, RANKING, EVIDENCE); // recall@1 0, @5 1, MRR 0.5
    card.add(5, RANKING, Set.of("D1:1")); // recall@1 1, MRR 1
    assertThat(card.overall().recallAt1()).isCloseTo(0.5, within(1e-9));
    assertThat(card.overall().mrr()).isCloseTo(0.75, within(1e-9));
    assertThat(card.overallNoAdversarial().questions()).isEqualTo(1);
    assertThat(card.overallNoAdversarial().recallAt5()).isEqualTo(1.0);
    assertThat(card.byCategory()).containsOnlyKeys(4, 5);
  }

  @Test
  void evidenceIdsAreNormalisedAsTheReadmeSays() {
    Set<String> known = Set.of("D8:6", "D9:17", "D1:18", "D1:20", "D11:26");
    assertThat(LocomoData.normaliseEvidence(List.of("D8:6; D9:17"), known)).containsExactly("D8:6", "D9:17");
    assertThat(LocomoData.normaliseEvidence(List.of("D1:18", "D", "D1:20"), known)).containsExactly("D1:18", "D1:20");
    assertThat(LocomoData.normaliseEvidence(List.of("D:11:26", "D10:19"), known)).containsExactly("D11:26");
    assertThat(LocomoData.normaliseEvidence(List.of("D01:018", "D1:18"), known)).containsExactly("D1:18");
  }
}
