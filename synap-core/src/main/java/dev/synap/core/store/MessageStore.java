package dev.synap.core.store;

import dev.synap.core.model.Memory;
import dev.synap.core.model.Message;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Raw messages, which are also the durable ingestion queue. {@link #appendAll} returns only once the
 * message is on disk; {@link #complete} stores a message's memories and marks it done atomically,
 * so a crash between extraction and commit re-runs extraction without duplicating memories.
 */
public interface MessageStore {

  /** Result of an append: the stored id, and whether an identical message already existed. */
  record Appended(String messageId, boolean duplicate) {}

  /** Processing state of one message (the ingestion status clients can poll). */
  record Status(String messageId, String status, String error, int memoriesCreated) {}

  /** A document or transcript accepted as a whole; its messages carry its id. */
  record Ingestion(
      String ingestionId, String instanceId, String documentId, String kind, String contentHash, String userId, String customerId,
      java.time.Instant queuedAt) {}

  /** Progress of an ingestion, derived from the states of its messages. */
  record IngestionStatus(
      Ingestion ingestion, int total, int queued, int processing, int completed, int failed, List<String> memoryIds,
      java.time.Instant completedAt, String firstError) {}

  /** Stores an ingestion and its messages in one durable transaction. */
  List<Appended> appendIngestion(Ingestion ingestion, List<Message> messages, List<String> dedupKeys);

  Optional<Ingestion> findIngestion(String instanceId, String kind, String documentId);

  Optional<IngestionStatus> ingestionStatus(String instanceId, String ingestionId);

  /** Appends many messages in one durable transaction; results align with the input. */
  List<Appended> appendAll(List<Message> messages, List<String> dedupKeys);

  /**
   * Who holds claimed work and until when. Several nodes may share one store: each claim is leased
   * to a node; the node renews its leases while it lives ({@link #renew}), and work whose lease
   * expired (the node died or hung) is taken back by any node ({@link #requeueExpired}).
   */
  record Lease(String nodeId, java.time.Duration duration) {
    /** Long enough for a slow batch between two renewals, short enough that a dead node's work moves on soon. */
    public static final java.time.Duration DEFAULT_DURATION = java.time.Duration.ofSeconds(30);

    public Lease {
      if (nodeId == null || nodeId.isBlank()) throw new IllegalArgumentException("a lease needs a node id");
      if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("a lease needs a positive duration");
    }

    /** A lease for this process when no node id is configured (one process per store). */
    public static Lease local() {
      return new Lease("local-" + ProcessHandle.current().pid(), DEFAULT_DURATION);
    }
  }

  /** As {@link #claimQueued(Lease, int)}, leased to this process. */
  default List<Message> claimQueued(int max) {
    return claimQueued(Lease.local(), max);
  }

  /**
   * Moves up to {@code max} queued messages to processing, leased to {@code lease.nodeId()} until
   * now + its duration, counting an attempt for each, and returns them oldest first. A message
   * tried before (its extraction failed, or a crash interrupted it) is claimed alone, so if it is
   * what brings the worker or the process down it does not spend the attempts of the messages
   * around it. On a shared store two nodes never claim the same message.
   */
  List<Message> claimQueued(Lease lease, int max);

  /** Extends every lease {@code lease.nodeId()} holds to now + its duration; returns how many. */
  int renew(Lease lease);

  /**
   * Takes back messages whose lease expired (their node died or hung): queued again, or failed
   * when they were already claimed {@code maxAttempts} times (the poison rule, across nodes). The
   * "completed" mark is applied only to a message still in processing, so a node that wakes up
   * after its work moved on cannot apply it twice.
   */
  Resumed requeueExpired(int maxAttempts);

  /** What became of a message handed back by a worker that could not finish it. */
  enum Release { QUEUED_AGAIN, FAILED, NOT_IN_PROCESSING }

  /**
   * Hands back a message in processing whose extraction or completion failed: queued again while
   * it has had fewer than {@code maxAttempts} attempts, otherwise marked {@code failed} with the
   * reason, for good. A message no longer in processing is left alone.
   */
  Release release(String messageId, int maxAttempts, String reason);

  /** What a start found in processing: put back in the queue, or failed after too many attempts. */
  record Resumed(int queuedAgain, int failed) {}

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

  /** A processed message and how to decide its changes against the committed memories. */
  record Completion(String messageId, Function<MemoryLedger, MemoryChanges> decide) {}

  /** Completes many messages in one durable transaction (one fsync for the whole batch). */
  /**
   * Completes many messages in one durable transaction (one fsync for the whole batch), in order:
   * each decision sees the changes of the ones before it. Results align with the input; a null
   * result means that message was not completed (already done, or its decision failed and it was
   * marked failed).
   */
  List<MemoryChanges> completeAll(List<Completion> completions);

  /**
   * What a start does: puts messages no live node holds back into the queue, except those already
   * claimed {@code maxAttempts} times (a message that took the process down that often is marked
   * failed instead of being queued again on every start). A store only one process opens (SQLite)
   * takes back everything in processing, since its holder is gone; a shared store takes back only
   * expired leases, since the other nodes' work is alive.
   */
  Resumed requeueInFlight(int maxAttempts);

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
