package dev.synap.core.relate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.relate.RelationFinder.Stated;
import org.junit.jupiter.api.Test;

/** Each rule on the sentences it is for, in the first person and as the extractor rewrites them, and what it must not read. */
class RelationFinderTest {
  final RelationFinder finder = new RelationFinder();

  @Test
  void kinshipInEveryWordOrder() {
    assertThat(finder.find("My sister Anna works at Google.", null))
        .contains(new Stated(null, RelationName.SISTER, "Anna"), new Stated("Anna", RelationName.WORKS_AT, "Google"));
    assertThat(finder.find("Caroline's older brother, Tom, visited last week.", "Caroline")).contains(new Stated(null, RelationName.BROTHER, "Tom"));
    assertThat(finder.find("Anna is Melanie's best friend.", "Caroline")).containsExactly(new Stated("Melanie", RelationName.FRIEND, "Anna"));
    assertThat(finder.find("We met Jo, my cousin, at the station.", "Caroline")).contains(new Stated(null, RelationName.COUSIN, "Jo"));
    assertThat(finder.find("My mom called.", null)).as("a relation word alone names nobody").isEmpty();
  }

  @Test
  void workStudyHomeCompanyAndLiking() {
    assertThat(finder.find("I started a new job at Acme Corp this week.", "Sam")).contains(new Stated(null, RelationName.WORKS_AT, "Acme Corp"));
    assertThat(finder.find("Sam's new job at Initech is stressful.", "Sam")).contains(new Stated(null, RelationName.WORKS_AT, "Initech"));
    assertThat(finder.find("Jon is studying at Stanford.", null)).contains(new Stated("Jon", RelationName.STUDIES_AT, "Stanford"));
    assertThat(finder.find("I moved to Denver in May.", "Sam")).contains(new Stated(null, RelationName.LIVES_IN, "Denver"));
    assertThat(finder.find("Caroline went hiking with Mel and Jon last weekend.", "Caroline"))
        .contains(new Stated(null, RelationName.WENT_WITH, "Mel"), new Stated(null, RelationName.WENT_WITH, "Jon"));
    assertThat(finder.find("Jon really loves Taylor Swift.", null)).contains(new Stated("Jon", RelationName.LIKES, "Taylor Swift"));
  }

  @Test
  void possessivesAndNonNamesAreNotEnds() {
    assertThat(finder.find("I went to the park with Anna's sister.", "Sam")).noneMatch(s -> s.object().startsWith("Anna"));
    assertThat(finder.find("I live in the city.", "Sam")).isEmpty();
    assertThat(finder.find("Sam went out with Sam.", "Sam")).as("nobody relates to themself").isEmpty();
  }
}
