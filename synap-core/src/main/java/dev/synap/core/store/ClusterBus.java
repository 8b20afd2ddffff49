package dev.synap.core.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Small notices between the nodes that share a store: "memories of this owner were written",
 * "this conversation's compaction completed", "the change log moved". A notice names what
 * happened and where; a receiver reads the details from the store, so a lost notice delays an
 * effect (until the receiver's poll fallback) but never loses data, and the bus carries no
 * content. One node (SQLite) needs none of it: {@link #SINGLE_NODE} publishes nothing, so the
 * single-node path does no per-event work for it. Several nodes on PostgreSQL use NOTIFY; nodes in
 * one JVM (tests, benchmarks) use {@link #inProcess}.
 */
public interface ClusterBus extends AutoCloseable {

  /** What a notice is about. */
  enum Kind {
    /** Memories of one owner were created, reinforced or edited: {@code subject} = user id, {@code ids} = memory ids. */
    MEMORIES_WRITTEN,
    /** A compaction completed: {@code subject} = conversation id, {@code ids} = the compaction id. */
    COMPACTION_COMPLETED,
    /** The store's change log moved (followers catch up now instead of at their next poll). */
    CHANGES
  }

  /**
   * @param nodeId the node that published it (receivers skip their own)
   * @param customerId the owner's customer (B2B), or null
   */
  record Notice(Kind kind, String nodeId, String instanceId, String subject, String customerId, List<String> ids) {
    public Notice {
      ids = ids == null ? List.of() : List.copyOf(ids);
    }
  }

  /** False when no other node can hear: publishers then skip building notices at all. */
  boolean reachesOtherNodes();

  /** Sends a notice to every other node; never throws (a notice is a hint, the store is the truth). */
  void publish(Notice notice);

  /** Called for notices other nodes published, on the bus's own thread. */
  void subscribe(Consumer<Notice> listener);

  @Override
  default void close() {}

  /** One node: nobody to tell. */
  ClusterBus SINGLE_NODE = new ClusterBus() {
    @Override
    public boolean reachesOtherNodes() {
      return false;
    }

    @Override
    public void publish(Notice notice) {}

    @Override
    public void subscribe(Consumer<Notice> listener) {}
  };

  /**
   * A bus for several nodes in one JVM: each {@link #node} view delivers what it publishes to the
   * subscribers of every other view, synchronously (so a test sees the effect when publish returns).
   */
  final class InProcess {
    private final List<Node> nodes = new CopyOnWriteArrayList<>();

    public ClusterBus node(String nodeId) {
      Node n = new Node(nodeId);
      nodes.add(n);
      return n;
    }

    private final class Node implements ClusterBus {
      private final String nodeId;
      private final List<Consumer<Notice>> listeners = new CopyOnWriteArrayList<>();

      Node(String nodeId) {
        this.nodeId = nodeId;
      }

      @Override
      public boolean reachesOtherNodes() {
        return true;
      }

      @Override
      public void publish(Notice notice) {
        for (Node other : nodes) {
          if (other == this) continue;
          for (Consumer<Notice> l : other.listeners) {
            try {
              l.accept(notice);
            } catch (RuntimeException e) {
              // a hint: one receiver's failure is not the publisher's
            }
          }
        }
      }

      @Override
      public void subscribe(Consumer<Notice> listener) {
        listeners.add(listener);
      }

      @Override
      public void close() {
        nodes.remove(this);
      }
    }
  }

  static InProcess inProcess() {
    return new InProcess();
  }
}
