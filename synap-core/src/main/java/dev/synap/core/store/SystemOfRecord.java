package dev.synap.core.store;

/**
 * The narrow storage seam of the engine (think Lucene's codec SPI): everything durable goes
 * through these interfaces. The embedded default is SQLite in WAL mode; PostgreSQL, shared by
 * several server nodes, is the other implementation. {@link Stores} opens the one the settings
 * name, and every implementation passes the same contract suite (BaseSystemOfRecordTestCase).
 */
public interface SystemOfRecord extends AutoCloseable {
  TenantStore tenants();

  MessageStore messages();

  MemoryStore memories();

  CompactionStore compactions();

  /** Memory embeddings, computed once and stored with the memory (see {@link VectorStore}). */
  VectorStore vectors();
  /** Admin credentials and the audit log. */
  ControlStore control();

  /** Usage analytics roll-ups. */
  UsageStore usage();

  /** Versions of each instance's memory configuration. */
  MemoryConfigStore memoryConfigs();

  /** Webhooks and their delivery log. */
  WebhookStore webhooks();

  /**
   * How much a user deletion removed.
   *
   * @param touchedConversations every conversation the user had a turn in (derived state that
   *     renders a memory with its neighbouring turns must be re-derived for these)
   */
  record Deleted(int memories, int messages, int conversations, java.util.Set<String> touchedConversations) {}

  /**
   * Removes everything holding one user's words, in one transaction, and leaves no copy of them
   * in the storage files: the user's memories and raw messages (the queue entries), the
   * conversations they own with every turn in them that no other user id holds (an assistant's
   * reply carries what it answers), the compactions of every conversation the user spoke in, their
   * ingestions, entities only their memories named, and the content of their memories' history
   * (content-free "deleted" markers stay). {@code customerId} scopes it (B2B): the same user id
   * under another customer is another person.
   */
  Deleted deleteUser(String instanceId, String customerId, String userId);

  /**
   * Removes a customer (B2B) as {@link #deleteUser} removes a user: everything held by the
   * customer itself and by every one of its users, with the same completeness.
   */
  Deleted deleteCustomer(String instanceId, String customerId);

  /**
   * Removes one conversation: its messages, the memories only it produced (a memory restated in
   * another conversation stays, as that conversation says it too), its compactions, its details,
   * the ingestion that brought it (a transcript) and the entities only those memories named.
   */
  Deleted deleteConversation(String instanceId, String conversationId);
  EntityStore entities();

  /** Relations between entities, written with the memories stating them (see {@link RelationStore}). */
  RelationStore relations();

  /** Rows of an instance or a user for export and import (any store, same file format). */
  InstanceArchive archive();
  /**
   * True when several server nodes may open this store at once (PostgreSQL): work is then claimed
   * under leases other nodes honour, idle workers look for work other nodes queued, and derived
   * state (search indexes, streams) follows the store's change log. False for a store one process
   * owns (SQLite), whose single node keeps its in-process paths.
   */
  default boolean shared() {
    return false;
  }

  /**
   * Records that node {@code nodeId} is alive now and returns how many nodes (itself included)
   * were seen within {@code window}: what a node divides cluster-wide budgets by. One node: 1.
   */
  default int heartbeat(String nodeId, java.time.Duration window) {
    return 1;
  }

  /** Notices between the nodes sharing this store, as node {@code nodeId}; one node has nobody to tell. */
  default ClusterBus openBus(String nodeId) {
    return ClusterBus.SINGLE_NODE;
  }

  @Override
  void close();
}
