package dev.synap.core.store;

import dev.synap.core.model.Memory;
import dev.synap.core.model.Message;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

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

  void complete(String messageId, List<Memory> memories);

  void fail(String messageId, String error);

  /** Puts messages left in processing by a crash back into the queue; returns how many. */
  int requeueInFlight();

  Optional<Status> status(String instanceId, String messageId);

  /** The newest {@code limit} messages of a conversation, oldest first. */
  List<Message> conversation(String instanceId, String conversationId, int limit);

  /** All messages a user recorded in an instance, oldest first. */
  List<Message> byUser(String instanceId, String userId, int limit);

  long queueDepth();

  /** The messages with these ids in one instance, in no particular order; unknown ids are skipped. */
  List<Message> byIds(String instanceId, Collection<String> messageIds);

  /**
   * Up to {@code limit} messages recorded just before {@code messageId} in the same conversation
   * and session, oldest first: the context a turn was said in.
   */
  List<Message> preceding(String instanceId, String messageId, int limit);

  /** Registers a conversation on first use; returns its owner ids as first recorded. */
  void registerConversation(String instanceId, String conversationId, String userId, String customerId);
}
