package dev.synap.core.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MentionFinderTest {
  /** The pattern before the rewrite: right on short text, but one stack frame per word. */
  private static final Pattern RECURSIVE =
      Pattern.compile("\\b\\p{Lu}[\\p{L}\\p{N}'\u2019&-]*(?:\\s+(?:of\\s+)?\\p{Lu}[\\p{L}\\p{N}'\u2019&-]*)*");

  @Test
  void aLongRunOfCapitalisedWordsIsOneMentionNotAStackOverflow() {
    String text = "I met " + "Abc ".repeat(8_000).strip() + " yesterday";
    long start = System.nanoTime();
    List<Mention> found = new MentionFinder().find(text, Set.of());
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(found).hasSize(1);
    assertThat(found.getFirst().name()).hasSize(8_000 * 4 - 1);
    assertThat(millis).as("milliseconds for 8,000 capitalised words").isLessThan(2_000);
  }

  @Property(tries = 2_000)
  void theRewrittenPatternFindsWhatTheOldOneFound(@ForAll("chatText") String text) {
    assertThat(matches(MentionFinder.CAPITALISED, text)).isEqualTo(matches(RECURSIVE, text));
  }

  @Provide
  Arbitrary<String> chatText() {
    Arbitrary<String> token = Arbitraries.of("Abc", "Bank", "of", "America", "the", "Mel's", "O'Neil", "AT&T", "Jean-Luc", "X1", "abc",
        "É", "ÉCOLE", " ", "  ", "\n", ".", ",", "'", "\u2019s", "-", "1", "_");
    return token.list().ofMaxSize(30).map(l -> String.join("", l));
  }

  static List<String> matches(Pattern p, String text) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(text);
    while (m.find()) out.add(m.start() + ":" + m.group());
    return out;
  }
}
