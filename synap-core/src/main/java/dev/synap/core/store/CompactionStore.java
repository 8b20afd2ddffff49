package dev.synap.core.store;

import dev.synap.core.compact.Compaction;
import dev.synap.core.compact.CompactionResult;
import java.time.Instant;
import java.util.Optional;

/** Compaction jobs and the versions of compacted context they produced. */
public interface CompactionStore {

  /** Records a started job; false when another job of the same conversation is still running. */
  boolean start(Compaction job);

  /** Stores the result and gives the job the conversation's next version number. */
  Compaction complete(String compactionId, CompactionResult result, Instant at);

  void fail(String compactionId, String error, Instant at);

  /** The most recently started job of a conversation, whatever its status. */
  Optional<Compaction> latest(String instanceId, String conversationId);

  /** The completed compaction with the highest version. */
  Optional<Compaction> latestCompleted(String instanceId, String conversationId);

  Optional<Compaction> version(String instanceId, String conversationId, int version);

  /** Every job of a conversation, newest first (every completed version, running and failed ones too). */
  java.util.List<Compaction> all(String instanceId, String conversationId);

  /** Fails jobs a crash or restart left running (nothing will finish them); returns how many. */
  int failInterrupted(String reason);

  // A user's compactions go with the user, in the same transaction: SystemOfRecord#deleteUser.
}
