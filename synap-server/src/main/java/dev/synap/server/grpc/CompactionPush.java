package dev.synap.server.grpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.MemoryEngine;
import dev.synap.core.compact.Compaction;
import dev.synap.core.compact.ConversationContext;
import dev.synap.core.model.Message;
import dev.synap.proto.v1.ContextBundleProto;
import dev.synap.proto.v1.ConversationContextProto;
import dev.synap.proto.v1.RecentTurnProto;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.server.context.Iso;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes a {@code compaction_update} bundle (contract 7.6) to the Listen streams that sent
 * events for the compacted conversation, so clients replace their short-term context without
 * polling. The JSON fields must be valid object text: the official client drops and reconnects
 * its stream on malformed JSON.
 */
final class CompactionPush {
  private static final Logger LOG = LoggerFactory.getLogger(CompactionPush.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final MemoryEngine engine;
  private final StreamRegistry registry;

  CompactionPush(MemoryEngine engine, StreamRegistry registry) {
    this.engine = engine;
    this.registry = registry;
  }

  void push(Compaction c) {
    var sessions = registry.following(c.instanceId(), c.conversationId());
    if (sessions.isEmpty()) return;
    ConversationContextProto context = context(c, engine.compactions().context(c.instanceId(), c.conversationId()));
    for (ListenSession s : sessions) {
      s.seenConversation(c.conversationId()).ifPresent(target -> s.sendBundle("compaction|" + c.conversationId(),
          StreamResponse.newBuilder().setContextBundle(bundle(c, context, target)).build()));
    }
    LOG.debug("pushed compaction {} of {} to {} streams", c.compactionId(), c.conversationId(), sessions.size());
  }

  static ContextBundleProto bundle(Compaction c, ConversationContextProto context, BundleAssembler.Target target) {
    ContextBundleProto.Builder b = ContextBundleProto.newBuilder()
        .setBundleId("bnd_" + UUID.randomUUID())
        .setDecisionId("compaction:" + c.compactionId())
        .setTotalTokens(c.result().compactedTokens())
        .setRetrievalMode("fast")
        .setDegradationLevel("none")
        .setCreatedAt(Iso.now())
        .setBundleType("compaction_update")
        .setBundleConfidence(BundleAssembler.clamp(c.result().validationScore()))
        .setOriginPatternId("compaction")
        .setAnticipationConversationId(c.conversationId())
        .setConversationContext(context);
    if (c.result().qualityWarning()) b.addWarnings("quality_warning: validation score below threshold");
    if (target.userId() != null) b.setAnticipationUserId(target.userId());
    if (target.customerId() != null) b.setAnticipationCustomerId(target.customerId());
    return b.build();
  }

  static ConversationContextProto context(Compaction c, ConversationContext ctx) {
    ConversationContextProto.Builder p = ConversationContextProto.newBuilder()
        .setSummary(c.result().summary())
        .setCurrentStateJson(json(c.result().currentState()))
        .setKeyExtractionsJson(json(c.result().keyExtractions().toMap()))
        .setCompactionId(c.compactionId())
        .setCompactedAt(Iso.of(c.completedAt()))
        .setConversationId(c.conversationId());
    for (Message m : ctx.recentMessages()) {
      p.addRecentTurns(RecentTurnProto.newBuilder().setRole(m.role()).setContent(m.content()).setTimestamp(Iso.of(m.occurredAt())));
    }
    return p.build();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return "{}"; // never send text the client cannot parse
    }
  }
}
