package dev.synap.server.grpc;

import dev.synap.core.MemoryEngine;
import dev.synap.core.MemoryWrites;
import dev.synap.core.compact.Compaction;
import dev.synap.core.model.Memory;
import dev.synap.core.store.ClusterBus;
import dev.synap.core.store.ClusterBus.Kind;
import dev.synap.core.store.ClusterBus.Notice;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stream pushes across nodes: what this node writes (new, reinforced or edited memories; a
 * completed compaction) is announced on the {@link ClusterBus}, and what other nodes announce is
 * read back from the shared store and pushed to the streams this node holds, exactly as a local
 * write is. On one node the bus reaches nobody and nothing is announced (no per-event work).
 * Key revocations need no notice: every node reads the revoked keys from the store every 2 s.
 */
public final class ClusterRelay {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterRelay.class);
  private final MemoryEngine engine;
  private final ClusterBus bus;
  private final String nodeId;
  private final SynapGrpcService streams;

  public ClusterRelay(MemoryEngine engine, ClusterBus bus, String nodeId, SynapGrpcService streams) {
    this.engine = engine;
    this.bus = bus;
    this.nodeId = nodeId;
    this.streams = streams;
    if (!bus.reachesOtherNodes()) return;
    engine.ingest().onProcessed((message, memories) -> announce(message.instanceId(), message.userId(), message.customerId(), memories));
    engine.writes().onChange(change -> {
      Memory m = change.memory();
      if (change.kind() == MemoryWrites.Kind.UPDATED) announce(m.instanceId(), m.userId(), m.customerId(), List.of(m));
      else bus.publish(new Notice(Kind.CHANGES, nodeId, m.instanceId(), null, null, List.of()));
    });
    engine.onUserDeleted((instanceId, userId) -> bus.publish(new Notice(Kind.CHANGES, nodeId, instanceId, null, null, List.of())));
    engine.compactions().onCompleted(c -> bus.publish(new Notice(Kind.COMPACTION_COMPLETED, nodeId, c.instanceId(), c.conversationId(), null,
        List.of(c.compactionId()))));
    bus.subscribe(this::received);
  }

  private void announce(String instanceId, String userId, String customerId, List<Memory> memories) {
    if (memories.isEmpty() || (userId == null && customerId == null)) return; // no stream holds an ownerless memory
    bus.publish(new Notice(Kind.MEMORIES_WRITTEN, nodeId, instanceId, userId, customerId, memories.stream().map(Memory::memoryId).toList()));
  }

  private void received(Notice n) {
    if (nodeId.equals(n.nodeId())) return;
    var follower = engine.index().follower();
    if (follower != null) follower.wake(); // the change log moved: catch the index up now, not at the next poll
    try {
      switch (n.kind()) {
        case MEMORIES_WRITTEN -> {
          List<Memory> memories = engine.store().memories().getAll(n.instanceId(), n.ids());
          streams.deliverMemories(n.instanceId(), n.subject(), n.customerId(), memories);
        }
        case COMPACTION_COMPLETED -> {
          Compaction c = engine.compactions().latestCompleted(n.instanceId(), n.subject()).orElse(null);
          if (c != null && n.ids().contains(c.compactionId())) streams.pushCompaction(c);
        }
        case CHANGES -> {
          // the index follower listens for these itself
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("notice {} from {} not delivered to this node's streams: {}", n.kind(), n.nodeId(), e.toString());
    }
  }
}
