package dev.synap.core.extract;

import static dev.synap.core.extract.Messages.said;
import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.model.MemoryType;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleExtractorTest {
  private static final String MAY_8_2023 = "2023-05-08T13:56:00Z";
  private final RuleExtractor extractor = new RuleExtractor();

  private List<ExtractedMemory> extract(String text) {
    return extractor.extract(said("Caroline", text, MAY_8_2023));
  }

  @Test
  void episodeWithRelativeDateIsResolvedAndRewrittenInTheThirdPerson() {
    List<ExtractedMemory> out = extract("I went to a LGBTQ support group yesterday and it was so powerful.");
    assertThat(out).hasSize(1);
    ExtractedMemory m = out.getFirst();
    assertThat(m.type()).isEqualTo(MemoryType.EPISODE);
    assertThat(m.eventDate()).isEqualTo("2023-05-07");
    assertThat(m.temporalCategory()).isEqualTo("episode");
    assertThat(m.content()).isEqualTo("Caroline went to a LGBTQ support group yesterday and it was so powerful (on 7 May 2023).");
    assertThat(m.attributes()).containsEntry("granularity", "day").containsEntry("occurred_at", "2023-05-07");
    assertThat(m.attributes().get("participants")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).contains("Caroline");
  }

  @Test
  void preferenceCarriesDirectionCategoryAndStrength() {
    ExtractedMemory like = extract("I love hiking in the mountains.").getFirst();
    assertThat(like.type()).isEqualTo(MemoryType.PREFERENCE);
    assertThat(like.content()).isEqualTo("Caroline loves hiking in the mountains.");
    assertThat(like.category()).isEqualTo("activity");
    assertThat(like.attributes()).containsEntry("preference_direction", "like").containsEntry("strength", 0.9);

    ExtractedMemory dislike = extract("I really can't stand spicy food.").getFirst();
    assertThat(dislike.attributes()).containsEntry("preference_direction", "dislike");
    assertThat(dislike.category()).isEqualTo("food");
  }

  @Test
  void emotionHasTypeAndIntensity() {
    ExtractedMemory m = extract("I'm so excited about the new job!").getFirst();
    assertThat(m.type()).isEqualTo(MemoryType.EMOTION);
    assertThat(m.attributes()).containsEntry("emotion", "excitement");
    assertThat((Double) m.attributes().get("intensity")).isGreaterThan(0.7);
  }

  @Test
  void planWithDateIsATemporalEvent() {
    ExtractedMemory m = extract("We're thinking about going camping next month.").getFirst();
    assertThat(m.type()).isEqualTo(MemoryType.TEMPORAL_EVENT);
    assertThat(m.eventDate()).isEqualTo("2023-06-01");
    assertThat(m.attributes()).containsEntry("granularity", "month");
  }

  @Test
  void singleValuedAttributesAreKeyed() {
    ExtractedMemory m = extract("I live in Boston with my partner.").getFirst();
    assertThat(m.type()).isEqualTo(MemoryType.FACT);
    assertThat(m.attributes()).containsEntry("attribute_key", "residence").containsEntry("attribute_value", "boston");
    ExtractedMemory colour = extract("My favourite colour is blue.").getFirst();
    assertThat(colour.attributes()).containsEntry("attribute_key", "favorite_color").containsEntry("attribute_value", "blue");
  }

  @Test
  void questionsChitChatAndRetractionsYieldNothing() {
    assertThat(extract("Hey Mel! Good to see you! How have you been?")).isEmpty();
    assertThat(extract("Thanks, Melanie! That's really sweet.")).isEmpty();
    assertThat(extract("Wow, that's so cool!")).isEmpty();
    assertThat(extract("Forget that, it's not true anymore.")).isEmpty();
  }

  @Test
  void mentionsAreTypedAndSubjectIsTheSpeaker() {
    ExtractedMemory m = extract("I adopted a puppy named Toby and took him to see Melanie in Denver.").getFirst();
    @SuppressWarnings("unchecked")
    List<java.util.Map<String, String>> mentions = (List<java.util.Map<String, String>>) m.attributes().get("mentions");
    assertThat(mentions).contains(
        java.util.Map.of("name", "Caroline", "type", "person"),
        java.util.Map.of("name", "Toby", "type", "pet"),
        java.util.Map.of("name", "Melanie", "type", "person"),
        java.util.Map.of("name", "Denver", "type", "place"));
    assertThat(m.attributes()).containsEntry("subject", "Caroline");
  }

  @Test
  void splitsTurnsIntoSeveralMemories() {
    List<ExtractedMemory> out = extract("I painted a lake sunrise last year! I'm really proud of it. What do you think?");
    assertThat(out).extracting(ExtractedMemory::type).containsExactly(MemoryType.EPISODE, MemoryType.EMOTION);
    assertThat(out.getFirst().eventDate()).isEqualTo("2022-01-01");
  }

  @Test
  void nonMessageKindsAndBlankTextYieldNothing() {
    var m = said("Caroline", "I love tea.", MAY_8_2023);
    var tool = new dev.synap.core.model.Message(m.messageId(), m.instanceId(), m.conversationId(), m.userId(), null, null, "assistant",
        "tool_call", "I love tea.", m.metadata(), m.occurredAt(), m.recordedAt());
    assertThat(extractor.extract(tool)).isEmpty();
    assertThat(extract("   ")).isEmpty();
  }

  @Test
  void aTurnsTimeCarriesOverAndDroppedSubjectsAreTheSpeakers() {
    ExtractedMemory applied = extract("Guess what I did this week? I applied to adoption agencies!").getFirst();
    assertThat(applied.eventDate()).isEqualTo("2023-05-08");
    assertThat(applied.attributes()).containsEntry("granularity", "week");
    ExtractedMemory started = extract("Started to learn marketing tools today.").getFirst();
    assertThat(started.content()).startsWith("Caroline started");
    assertThat(started.eventDate()).isEqualTo("2023-05-08");
  }
}
