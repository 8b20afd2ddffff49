package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's write path: batches, transcripts, documents and memory CRUD, user deletion. */
class WritePathTest {
  @TempDir Path dir;

  @Test
  void batchTranscriptDocumentsAndDeletion() throws Exception {
    try (TestServer ts = new TestServer(dir); Synap synap = ts.client()) {
      String conv = UUID.randomUUID().toString();
      var batch = synap.conversation().recordMessagesBatch(List.of(
          RecordMessage.user(conv, "I started learning the cello in January.").userId("lena").build(),
          RecordMessage.assistant(conv, "That is wonderful, how are the lessons going?").userId("lena").build(),
          RecordMessage.user(conv, "I started learning the cello in January.").userId("lena").idempotencyKey("k1").build()));
      assertThat(batch.total()).isEqualTo(3);
      assertThat(batch.succeeded()).isEqualTo(3);
      assertThat(batch.results()).allMatch(r -> r.messageId() != null);

      var t = synap.conversation().ingestTranscript("call-42", "lena", null, List.of(
          new ConversationClient.Turn("user", "My violin teacher is called Mrs Okafor.", Instant.parse("2024-01-10T09:00:00Z"), "Lena"),
          new ConversationClient.Turn("assistant", "Noted.", null, null)));
      assertThat(t.status()).isEqualTo("queued");
      assertThat(synap.conversation().ingestTranscript("call-42", "lena", null, List.of(
          new ConversationClient.Turn("user", "My violin teacher is called Mrs Okafor.", Instant.parse("2024-01-10T09:00:00Z"), "Lena"),
          new ConversationClient.Turn("assistant", "Noted.", null, null))).status()).isEqualTo("duplicate");
      assertThatThrownBy(() -> synap.conversation().ingestTranscript("call-42", "lena", null,
          List.of(new ConversationClient.Turn("user", "Something else.", null, null)))).isInstanceOf(TranscriptConflictException.class);

      var accepted = synap.memories().create(MemoriesClient.Document.of("Lena's recital is on 14 June 2024 at the city hall.").forUser("lena"));
      var done = synap.memories().waitForCompletion(accepted.ingestionId(), Duration.ofSeconds(10), Duration.ofMillis(20));
      assertThat(done.status()).isEqualTo("completed");
      assertThat(done.memoryIds()).isNotEmpty();
      String memoryId = done.memoryIds().getFirst();
      Memory memory = synap.memories().get(memoryId);
      assertThat(memory.content()).contains("recital");
      assertThat(memory.memoryId()).isEqualTo(memoryId);
      assertThat(memory.userId()).isEqualTo("lena");
      assertThat(memory.sourceDocumentId()).isEqualTo(accepted.documentId());
      assertThat(memory.status()).isEqualTo("current");
      assertThat(memory.createdAt()).isNotNull();
      Memory updated = synap.memories().update(memoryId, "Lena's recital moved to 21 June 2024.", "replace");
      assertThat(updated.content()).isEqualTo("Lena's recital moved to 21 June 2024.");
      assertThat(synap.memories().history(memoryId)).extracting(MemoryHistoryEntry::action).contains("created", "updated");
      assertThat(synap.memories().history(memoryId)).allMatch(h -> h.at() != null);
      MemoryPage page = synap.memories().list("lena", null, 50, 0, false);
      assertThat(page.memories()).extracting(Memory::memoryId).contains(memoryId);
      assertThat(page.limit()).isEqualTo(50);
      assertThat(page.nextOffset()).isEqualTo(page.memories().size());
      DeletedMemory gone = synap.memories().delete(memoryId);
      assertThat(gone.memoryId()).isEqualTo(memoryId);
      assertThat(gone.deletedAt()).isNotNull();
      assertThatThrownBy(() -> synap.memories().get(memoryId)).isInstanceOf(ContextNotFoundException.class);

      ts.awaitIngested();
      var deleted = synap.deleteUser("lena", null);
      assertThat(deleted.messages()).as("3 turns, 2 transcript turns, 1 document chunk").isEqualTo(6);
      assertThat(deleted.userId()).isEqualTo("lena");
      assertThat(deleted.memories()).isPositive();
      assertThat(deleted.deletedAt()).isNotNull();
      assertThat(synap.memories().list("lena", null, 50, 0, true).memories()).isEmpty();
      assertThat(synap.user().context().fetch(FetchRequest.forUser("lena").query("cello").build()).all()).isEmpty();
    }
  }
}
