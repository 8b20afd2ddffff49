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
  EntityStore entities();

  /**
   * True when several server nodes may open this store at once (PostgreSQL): work is then claimed
   * under leases other nodes honour, idle workers look for work other nodes queued, and derived
   * state (search indexes, streams) follows the store's change log. False for a store one process
   * owns (SQLite), whose single node keeps its in-process paths.
   */
  default boolean shared() {
    return false;
  }

  /** Notices between the nodes sharing this store, as node {@code nodeId}; one node has nobody to tell. */
  default ClusterBus openBus(String nodeId) {
    return ClusterBus.SINGLE_NODE;
  }

  @Override
  void close();
}
