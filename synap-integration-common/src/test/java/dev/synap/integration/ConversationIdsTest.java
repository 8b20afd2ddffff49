package dev.synap.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConversationIdsTest {
  @Test
  void nameBasedUuidsAreRfc9562Version5() {
    // Reference value from another implementation (Python's uuid.uuid5).
    assertThat(ConversationIds.nameBased(UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org"))
        .hasToString("886313e1-3b8a-5372-9b90-0c9aee199e5d");
  }

  @Test
  void frameworkIdsMapPerOwnerAndStably() {
    assertThat(ConversationIds.of("default", "alice", null)).isEqualTo("b116d086-09f0-58c0-8cfd-5b84094c096e");
    assertThat(ConversationIds.of("default", "bob", "acme")).isEqualTo("2b751f64-5f24-59be-b3ad-0d8a1f121ccb");
    assertThat(ConversationIds.of("default", "alice", null)).isNotEqualTo(ConversationIds.of("default", "bob", null));
    assertThat(ConversationIds.of(42, "alice", null)).isEqualTo(ConversationIds.of("42", "alice", null));
  }

  @Test
  void uuidsPassThrough() {
    String id = "0B6E6E2C-7D0A-4C1E-9F3B-2B8E0E6C1A11";
    assertThat(ConversationIds.of(id, "alice", null)).isEqualTo(id.toLowerCase());
  }
}
