package dev.synap.core.consolidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ContentTokensTest {

  @Test
  void dropsStopWordsAndFoldsPluralsAndPossessives() {
    assertThat(ContentTokens.of("Caroline's dogs LOVE hiking, and 'really' the hikes!"))
        .containsExactly("caroline", "dog", "love", "hiking", "hike");
    assertThat(ContentTokens.of("I love hiking")).isEqualTo(ContentTokens.of("i loves hiking"));
    assertThat(ContentTokens.of("Caroline\u2019s class")).containsExactly("caroline", "class");
    assertThat(ContentTokens.of(null)).isEmpty();
  }

  /** The hand-rolled tokenizer must split exactly like the plain regex definition it replaced. */
  @Property(tries = 500)
  void agreesWithTheRegexDefinition(@ForAll("sentences") String text) {
    assertThat(ContentTokens.of(text)).containsExactlyElementsOf(reference(text));
  }

  @Provide
  Arbitrary<String> sentences() {
    Arbitrary<String> word = Arbitraries.oneOf(
        Arbitraries.of("I", "loves", "Hiking", "the", "dog's", "'quoted'", "class", "it's", "2023", "café", "x", "O'Neil", "runs"),
        Arbitraries.strings().withChars("abcXYZ'’ 09é.,!-").ofMaxLength(8));
    return word.list().ofMaxSize(12).map(ws -> String.join(" ", ws));
  }

  private static Set<String> reference(String text) {
    Set<String> out = new LinkedHashSet<>();
    for (String raw : text.toLowerCase(Locale.ROOT).replace('\u2019', '\'').split("[^\\p{L}\\p{N}']+")) {
      String t = raw.replaceAll("^'+|'+$", "");
      if (t.endsWith("'s")) t = t.substring(0, t.length() - 2);
      if (t.length() < 2 || ContentTokens.STOP.contains(t)) continue;
      if (t.length() > 3 && t.endsWith("s") && !t.endsWith("ss")) t = t.substring(0, t.length() - 1);
      out.add(t);
    }
    return out;
  }
}
