package dev.synap.core.consolidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RareTermsTest {

  /** Whatever has been counted, the searched words of A meet every B that is a near-copy of A. */
  @Property(tries = 1000)
  void everyNearCopySharesASearchedWord(@ForAll @Size(min = 1, max = 14) Set<@IntRange(min = 0, max = 30) Integer> a,
      @ForAll @IntRange(min = 0, max = 3) int dropped, @ForAll @IntRange(min = 0, max = 3) int added,
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 30) Integer> counted) {
    RareTerms terms = new RareTerms();
    for (int c : counted) terms.count(Set.of("w" + c));
    Set<String> wa = words(a);
    // B: A without a few of its words (the most counted ones, the hardest case) and with new ones.
    List<String> byCount = wa.stream().sorted((x, y) -> Long.compare(counted.stream().filter(c -> ("w" + c).equals(y)).count(),
        counted.stream().filter(c -> ("w" + c).equals(x)).count())).toList();
    Set<String> wb = new HashSet<>(wa);
    for (int i = 0; i < Math.min(dropped, byCount.size()); i++) wb.remove(byCount.get(i));
    for (int i = 0; i < added; i++) wb.add("new" + i);
    if (ContentTokens.jaccard(wa, wb) < Consolidator.DUPLICATE_JACCARD) return;
    assertThat(terms.prefix(wa, Consolidator.DUPLICATE_JACCARD)).containsAnyElementsOf(wb);
  }

  @Test
  void searchesTheRarestWordsAndFewerOfThemForLongerStatements() {
    RareTerms terms = new RareTerms();
    for (int i = 0; i < 50; i++) terms.count(Set.of("note", "love"));
    terms.count(Set.of("pottery"));
    assertThat(terms.prefix(Set.of("note", "love", "pottery", "kyoto"), 0.8)).containsExactly("kyoto");
    Set<String> ten = Set.of("a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "note", "love");
    assertThat(terms.prefix(ten, 0.8)).hasSize(3).doesNotContain("note", "love");
  }

  private static Set<String> words(Set<Integer> ids) {
    Set<String> out = new HashSet<>();
    for (int i : ids) out.add("w" + i);
    return out;
  }
}
