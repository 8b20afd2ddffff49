package dev.synap.core.extract;

import static dev.synap.core.extract.Messages.said;
import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.model.Evidence;
import dev.synap.core.model.MemoryType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue #20: a typed memory states something about a person with a cue; every other informative sentence is evidence. */
class StrictTypingTest {
  private static final String MAY_8_2023 = "2023-05-08T13:56:00Z";

  private static List<ExtractedMemory> extract(RuleExtractor extractor, String text) {
    return extractor.extract(said("Caroline", text, MAY_8_2023));
  }

  private static ExtractedMemory only(String text) {
    List<ExtractedMemory> out = extract(new RuleExtractor(), text);
    assertThat(out).hasSize(1);
    return out.getFirst();
  }

  @Test
  void theSpeakerWithATypedCueIsATypedMemory() {
    ExtractedMemory m = only("I love hiking in the mountains.");
    assertThat(m.type()).isEqualTo(MemoryType.PREFERENCE);
    assertThat(Evidence.is(m.attributes())).isFalse();
  }

  @Test
  void aSentenceAddressedToTheListenerIsKeptAsEvidenceOnly() {
    ExtractedMemory m = only("Your painting of the lake at sunset has such calm colours and gentle light.");
    assertThat(Evidence.is(m.attributes())).isTrue();
    assertThat(m.type()).isEqualTo(MemoryType.FACT);
    assertThat(m.category()).isNull();
    assertThat(m.content()).contains("painting of the lake");
  }

  @Test
  void aNamedThirdPersonWithAnEventCueIsATypedEpisode() {
    ExtractedMemory m = only("Last week Melanie's brother opened a bakery downtown with his wife.");
    assertThat(m.type()).isEqualTo(MemoryType.EPISODE);
    assertThat(Evidence.is(m.attributes())).isFalse();
  }

  @Test
  void aThirdPersonWithoutAnEventCueIsEvidenceAndKeepsItsDate() {
    ExtractedMemory plain = only("Melanie's brother is a really talented painter and a fine musician.");
    assertThat(Evidence.is(plain.attributes())).isTrue();

    ExtractedMemory dated = only("The whole neighbourhood was full of music and lights last Friday evening.");
    assertThat(Evidence.is(dated.attributes())).isTrue();
    assertThat(dated.eventDate()).isEqualTo("2023-05-05");
    assertThat(dated.attributes()).doesNotContainKeys("summary", "participants", "significance");
  }

  @Test
  void withoutStrictTypingEveryInformativeSentenceIsATypedMemory() {
    List<ExtractedMemory> loose = extract(new RuleExtractor(false), "Your painting of the lake at sunset has such calm colours and gentle light.");
    assertThat(loose).hasSize(1);
    assertThat(loose.getFirst().type()).isEqualTo(MemoryType.FACT);
    assertThat(Evidence.is(loose.getFirst().attributes())).isFalse();
  }
}
