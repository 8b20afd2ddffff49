package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user profile follows the user's current memories: superseded and deleted facts drop out. */
class ProfileTest {
  @TempDir Path dir;

  @Test
  void profileIsDerivedFromCurrentFactsAndPreferences() throws Exception {
    try (TestServer ts = new TestServer(dir); Synap synap = ts.client()) {
      assertThat(synap.user().getProfile("quinn", null)).isEmpty();
      String conv = UUID.randomUUID().toString();
      Instant t = Instant.parse("2024-03-01T10:00:00Z");
      for (String text : List.of("I live in Boston.", "I work as a nurse.", "I love sushi.")) {
        synap.conversation().recordMessage(RecordMessage.user(conv, text).userId("quinn").timestamp(t).build());
        t = t.plusSeconds(60);
      }
      ts.awaitIngested();
      UserProfile p = synap.user().getProfile("quinn", null).orElseThrow();
      assertThat(p.attributes().get("residence").value()).isEqualTo("boston");
      assertThat(p.attributes().get("job").value()).isEqualTo("nurse");
      assertThat(p.attributes().get("residence").sourceConversationId()).isEqualTo(conv);
      assertThat(p.attributes().get("likes_food").value()).asString().contains("sushi");
      assertThat(p.overview()).contains("boston");

      synap.conversation().recordMessage(RecordMessage.user(conv, "I moved to Denver.").userId("quinn").timestamp(t.plusSeconds(600)).build());
      ts.awaitIngested();
      assertThat(synap.user().getProfile("quinn", null).orElseThrow().attributes().get("residence").value()).isEqualTo("denver");

      String jobMemory = synap.memories().list("quinn", null, 50, 0, false).memories().stream()
          .filter(m -> m.content().contains("nurse")).findFirst().orElseThrow().memoryId();
      synap.memories().delete(jobMemory);
      assertThat(synap.user().getProfile("quinn", null).orElseThrow().attributes()).doesNotContainKey("job");
      assertThat(synap.user().getProfile("someone-else", null)).isEmpty();
    }
  }
}
