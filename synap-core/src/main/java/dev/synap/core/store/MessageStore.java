package dev.synap.core.store;

import dev.synap.core.model.Memory;
import dev.synap.core.model.Message;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Raw messages, which are also the durable ingestion queue. {@link #append} returns only once the
 * message is on disk; {@link #complete} stores a message's memories and marks it done atomically,
 * so a crash between extraction and commit re-runs extraction without duplicating memories.
 */
public interface MessageStore {

  /** Result of an append: the stored id, and whether an identical message already existed. */
  record Appended(String messageId, boolean duplicate) {}

  /** Processing state of one message (the ingestion status clients can poll). */
  record Status(String messageId, String status, String error, int memoriesCreated) {}

  Appended append(Message message, String dedupKey);

  /** Appends many messages in one durable transaction; results align with the input. */
  List<Appended> appendAll(List<Message> messages, List<String> dedupKeys);

  /** Moves up to {@code max} queued messages to processing and returns them, oldest first. */
  List<Message> claimQueued(int max);

  /** Completes a message with plain inserts (no consolidation). */
  default void complete(String messageId, List<Memory> memories) {
    complete(messageId, ledger -> MemoryChanges.insertOnly(memories));
  }

  /**
   * Completes a message with consolidation: {@code decide} runs inside the completing transaction
   * with a ledger over every committed memory, and the changes it returns are applied together
   * with the "completed" mark. A message no longer in processing is refused before anything is
   * applied, so a re-run after a crash cannot apply its changes twice.
   */
  MemoryChanges complete(String messageId, Function<MemoryLedger, MemoryChanges> decide);

  void fail(String messageId, String error);

  /** Puts messages left in processing by a crash back into the queue; returns how many. */
  int requeueInFlight();

  Optional<Status> status(String instanceId, String messageId);

  /** The newest {@code limit} messages of a conversation, oldest first. */
  List<Message> conversation(String instanceId, String conversationId, int limit);

  /** All messages a user recorded in an instance, oldest first. */
  List<Message> byUser(String instanceId, String userId, int limit);

  long queueDepth();

  /** Registers a conversation on first use; returns its owner ids as first recorded. */
  void registerConversation(String instanceId, String conversationId, String userId, String customerId);
}
