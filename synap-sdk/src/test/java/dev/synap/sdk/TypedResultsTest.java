package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The typed results read the server's JSON leniently: unknown fields are ignored, odd values become null. */
class TypedResultsTest {
  @Test
  void aMemoryFromANewerServerKeepsWhatItKnowsAndIgnoresTheRest() throws Exception {
    Memory m = Memory.from(RestTransport.MAPPER.readTree("""
        {"memory_id": "m1", "memory_type": "fact", "content": "Rex is a dog", "confidence": 0.8,
         "created_at": "2024-06-01T10:00:00Z", "updated_at": "not a time", "source_message_ids": ["a", null, "b"],
         "attributes": {"participants": ["ann"]}, "status": "current", "a_field_added_later": {"x": 1}}
        """));
    assertThat(m.memoryId()).isEqualTo("m1");
    assertThat(m.confidence()).isEqualTo(0.8);
    assertThat(m.createdAt()).isEqualTo(Instant.parse("2024-06-01T10:00:00Z"));
    assertThat(m.updatedAt()).as("unreadable time").isNull();
    assertThat(m.sourceMessageIds()).containsExactly("a", "b");
    assertThat(m.attributes()).containsKey("participants");
    assertThat(m.userId()).as("missing").isNull();
    Memory same = Memory.from(RestTransport.MAPPER.readTree(RestTransport.MAPPER.writeValueAsString(RestTransport.MAPPER.readTree("""
        {"memory_id": "m1", "memory_type": "fact", "content": "Rex is a dog", "confidence": 0.8,
         "created_at": "2024-06-01T10:00:00Z", "updated_at": "not a time", "source_message_ids": ["a", null, "b"],
         "attributes": {"participants": ["ann"]}, "status": "current"}
        """))));
    assertThat(m).isEqualTo(same).hasSameHashCodeAs(same);
  }

  @Test
  void deletionCountsDefaultToZeroAndTheIdToTheOneAskedFor() throws Exception {
    DeletedUser d = DeletedUser.from(RestTransport.MAPPER.readTree("{\"deleted\": {\"memories\": 3}}"), "ann");
    assertThat(d.userId()).isEqualTo("ann");
    assertThat(d.memories()).isEqualTo(3);
    assertThat(d.messages()).isZero();
    assertThat(d.deletedAt()).isNull();
  }
}
