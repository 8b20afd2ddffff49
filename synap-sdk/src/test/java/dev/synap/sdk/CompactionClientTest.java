package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synap.core.compact.Compaction;
import dev.synap.core.compact.Strategy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conversation().context() compaction calls against a real server, and the pushed-status shortcut. */
class CompactionClientTest {
  static final List<String> TURNS = List.of(
      "My sister Alice lives in Lisbon and her birthday is on 14 June 2024.",
      "I prefer window seats and I love vegetarian food.",
      "We decided to fly with TAP on flight 1234 from Berlin.",
      "The budget must stay under 2500 euros for the whole week.",
      "Hotel Solar do Castelo has 3 rooms left at 180 euros per night.",
      "Book two nights there, from 13 June to 15 June.",
      "My colleague Bruno recommended the Gulbenkian museum.",
      "Next I will need a dinner place for Alice's birthday.");
  @TempDir Path dir;

  private static CompactionStatus awaitCompleted(ConversationContextClient ctx, String conv) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    CompactionStatus s = ctx.getCompactionStatus(conv);
    while (!s.status().equals("completed") && System.nanoTime() < deadline) {
      Thread.sleep(20);
      s = ctx.getCompactionStatus(conv);
    }
    return s;
  }

  @Test
  void compactPollReadAndPrompt() throws Exception {
    try (TestServer ts = new TestServer(dir); Synap synap = ts.client()) {
      String conv = UUID.randomUUID().toString();
      for (String t : TURNS) synap.conversation().recordMessage(RecordMessage.user(conv, t).userId("alice").build());
      ts.awaitIngested();
      ConversationContextClient ctx = synap.conversation().context();
      assertThat(ctx.getCompactionStatus(conv).status()).isEqualTo("none");
      assertThat(ctx.getCompacted(conv)).isEmpty();

      CompactionStarted started = ctx.compact(CompactRequest.of(conv).strategy("balanced").build());
      assertThat(started.status()).isEqualTo("in_progress");
      assertThat(started.triggerType()).isEqualTo("manual_api");
      CompactionStatus status = awaitCompleted(ctx, conv);
      assertThat(status.fromCache()).isFalse();
      assertThat(status.compactionId()).isEqualTo(started.compactionId());
      assertThat(status.latestVersion()).isEqualTo(1);

      CompactedContext structured = ctx.getCompacted(conv).orElseThrow();
      assertThat(structured.strategyUsed()).isEqualTo("balanced");
      assertThat(structured.formattedContext()).startsWith("## Conversation summary");
      assertThat(structured.compressionRatio()).isBetween(0.0, 0.45);
      assertThat(ctx.getCompacted(conv, "injection", 1).orElseThrow().formattedContext()).startsWith("<conversation_context");
      assertThat(ctx.getCompacted(conv, "narrative", 2)).isEmpty();

      synap.conversation().recordMessage(RecordMessage.user(conv, "Add a day trip to Sintra on 15 June.").userId("alice").build());
      ts.awaitIngested();
      PromptContext prompt = ctx.getContextForPrompt(conv, "bullet_points");
      assertThat(prompt.available()).isTrue();
      assertThat(prompt.recentMessages()).singleElement().satisfies(m -> {
        assertThat(m.content()).contains("Sintra");
        assertThat(m.messageId()).isNotBlank();
      });
      assertThat(prompt.totalMessageCount()).isEqualTo(TURNS.size() + 1);
      assertThat(prompt.formattedContext()).contains("- [recent] User: Add a day trip to Sintra");
      assertThat(ctx.getContextForPrompt(conv).formattedContext()).contains("## Since the summary");
    }
  }

  @Test
  void errorsAreTypedAndBadIdsNeverLeaveTheProcess() throws Exception {
    try (TestServer ts = new TestServer(dir); Synap synap = ts.client()) {
      ConversationContextClient ctx = synap.conversation().context();
      assertThatThrownBy(() -> ctx.compact(CompactRequest.of("conv-1").build())).isInstanceOf(InvalidConversationIdException.class);
      assertThatThrownBy(() -> ctx.getCompactionStatus("nope")).isInstanceOf(InvalidConversationIdException.class);
      assertThatThrownBy(() -> ctx.getCompacted("nope")).isInstanceOf(InvalidConversationIdException.class);
      assertThatThrownBy(() -> ctx.getContextForPrompt("nope")).isInstanceOf(InvalidConversationIdException.class);
      String empty = UUID.randomUUID().toString();
      assertThatThrownBy(() -> ctx.compact(CompactRequest.of(empty).build())).isInstanceOf(ContextNotFoundException.class);
      assertThatThrownBy(() -> ctx.compact(CompactRequest.of(empty).strategy("extreme").build())).isInstanceOf(InvalidInputException.class);

      String conv = UUID.randomUUID().toString();
      synap.conversation().recordMessage(RecordMessage.user(conv, TURNS.getFirst()).userId("alice").build());
      ts.awaitIngested();
      String instanceId = synap.whoami().instanceId();
      ts.server.engine().store().compactions().start(new Compaction("cmp_elsewhere", instanceId, conv, "alice", "manual_api", Strategy.BALANCED,
          null, Instant.now(), Compaction.IN_PROGRESS, null, null, null, null));
      assertThatThrownBy(() -> ctx.compact(CompactRequest.of(conv).force(true).build())).isInstanceOf(ConflictException.class);
    }
  }

  @Test
  void aPushedCompactionUpdateAnswersTheStatusWithoutRest() throws Exception {
    try (TestServer ts = new TestServer(dir); Synap synap = ts.client()) {
      String conv = UUID.randomUUID().toString();
      BlockingQueue<ContextBundle> updates = new LinkedBlockingQueue<>();
      synap.instance().listen(ListenCallbacks.onContext(b -> {
        if (b.bundleType().equals("compaction_update")) updates.add(b);
      }));
      for (String t : TURNS) synap.instance().sendMessage(SendMessage.builder(t).userId("alice").conversationId(conv).build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (ts.server.engine().store().messages().conversation(synap.whoami().instanceId(), conv, 100).size() < TURNS.size()) {
        if (System.nanoTime() > deadline) throw new AssertionError("turns not recorded");
        Thread.sleep(10);
      }
      ts.awaitIngested();
      ConversationContextClient ctx = synap.conversation().context();
      CompactionStarted started = ctx.compact(CompactRequest.of(conv).build());

      ContextBundle bundle = updates.poll(10, TimeUnit.SECONDS);
      assertThat(bundle).isNotNull();
      assertThat(bundle.conversationId()).isEqualTo(conv);
      ConversationContext pushed = bundle.conversationContext();
      assertThat(pushed.compactionId()).isEqualTo(started.compactionId());
      assertThat(pushed.summary()).isNotBlank();
      assertThat(pushed.currentState()).containsKey("status");
      assertThat(pushed.keyExtractions()).containsKey("facts");

      ts.server.close(); // the answer must not need the server any more
      CompactionStatus status = ctx.getCompactionStatus(conv);
      assertThat(status.fromCache()).isTrue();
      assertThat(status.status()).isEqualTo("completed");
      assertThat(status.compactionId()).isEqualTo(started.compactionId());
      assertThat(status.completedAt()).isEqualTo(pushed.compactedAt());
    }
  }
}
