package dev.synap.server.grpc;

import dev.synap.core.anticipate.BundlePlan;
import dev.synap.core.anticipate.RetrievalPhase;
import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.retrieve.ContextItem;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.proto.v1.ContextBundleProto;
import dev.synap.proto.v1.ContextItemList;
import dev.synap.proto.v1.ContextItemProto;
import dev.synap.server.context.Iso;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Where a ContextBundle is built: retrieval results plus the plan that asked for them. */
final class BundleAssembler {
  private BundleAssembler() {}

  /** The ids of the event that caused the bundle; clients key their cache on them. */
  record Target(String userId, String customerId, String conversationId) {}

  static ContextBundleProto assemble(BundlePlan plan, RetrievalPhase phase, ContextResult result, Target target) {
    Map<MemoryType, ContextItemList.Builder> byType = new EnumMap<>(MemoryType.class);
    // Typed memories before source evidence in each list (stable otherwise): a client that reads
    // the first few facts of a bundle reads what we know about the person, not a quoted sentence.
    List<ContextItem> typedFirst = java.util.stream.Stream.concat(result.items().stream().filter(i -> !i.memory().isEvidence()),
        result.items().stream().filter(i -> i.memory().isEvidence())).toList();
    for (ContextItem item : typedFirst) {
      byType.computeIfAbsent(item.memory().type(), t -> ContextItemList.newBuilder()).addItems(item(item));
    }
    ContextBundleProto.Builder b = ContextBundleProto.newBuilder()
        .setBundleId("bnd_" + UUID.randomUUID())
        .setDecisionId(plan.originPatternId() + ":" + UUID.randomUUID())
        .setTotalTokens(result.tokensUsed())
        .setTokenBudget(result.tokenBudget())
        .setBudgetExceeded(result.budgetExceeded())
        .setRetrievalMode(result.mode())
        .addAllSourcesQueried(result.sourcesQueried())
        .setDegradationLevel(degradation(phase, result))
        .setCreatedAt(Iso.now())
        .setRetrievalTimeMs((int) Math.min(Integer.MAX_VALUE, result.retrievalMicros() / 1000))
        .setCacheHit(false)
        .addAllSearchQueries(plan.queries())
        .addAllSearchKeywords(plan.keywords())
        .setBundleType(plan.bundleType())
        .setBundleConfidence(clamp(plan.confidence()))
        .setOriginPatternId(plan.originPatternId())
        .setTtlHintSeconds(plan.ttlSeconds());
    // Never leave the anticipation ids empty when the event had them: an empty id lets the
    // official client serve the bundle to any user of that process.
    if (target.userId() != null) b.setAnticipationUserId(target.userId());
    if (target.customerId() != null) b.setAnticipationCustomerId(target.customerId());
    if (target.conversationId() != null) b.setAnticipationConversationId(target.conversationId());
    byType.forEach((type, list) -> b.putItemsByType(type.wireKey(), list.build()));
    return b.build();
  }

  /**
   * {@code partial} when the result lacks a signal its kind of retrieval normally has: a first
   * pass, a push shed under load, or a complete search without its dense half (the store's
   * full-text fallback while the index is not ready). The newest memories alone (a recency
   * predictor) and updates for new memories are complete for what they are.
   */
  static String degradation(RetrievalPhase phase, ContextResult result) {
    List<String> sources = result.sourcesQueried();
    boolean withoutDense = sources.contains("lexical") && !sources.contains("vector");
    return phase != RetrievalPhase.COMPLETE || withoutDense || sources.isEmpty() ? "partial" : "none";
  }

  static ContextItemProto item(ContextItem item) {
    Memory m = item.memory();
    ContextItemProto.Builder p = ContextItemProto.newBuilder()
        .setItemId(m.memoryId())
        .setContent(m.content())
        .setContextType(contextType(m.type()))
        .setSource(item.source())
        .setSimilarityScore(clamp(item.similarity()))
        .setRelevanceScore(clamp(item.relevance()))
        .setConfidence(clamp(m.confidence()))
        .setScope(m.scope().wireName())
        .setCreatedAt(Iso.of(m.createdAt()));
    if (m.eventDate() != null) p.setEventDate(m.eventDate()).setTemporalConfidence(0.8f);
    if (m.validUntil() != null) p.setValidUntil(m.validUntil());
    if (m.temporalCategory() != null) p.setTemporalCategory(m.temporalCategory());
    Object entity = m.attributes().get("entity_id");
    if (entity != null) p.setEntityId(entity.toString());
    return p.build();
  }

  /** The proto comment names the temporal type "temporal"; the map key stays "temporal_events". */
  static String contextType(MemoryType t) {
    return t == MemoryType.TEMPORAL_EVENT ? "temporal" : t.wireKey();
  }

  /** Clients reject scores outside 0..1 for as long as the bundle stays cached. */
  static float clamp(double v) {
    if (Double.isNaN(v)) return 0f;
    return (float) Math.max(0.0, Math.min(1.0, v));
  }

  static List<String> itemIds(ContextBundleProto bundle) {
    return bundle.getItemsByTypeMap().values().stream().flatMap(l -> l.getItemsList().stream()).map(ContextItemProto::getItemId).toList();
  }
}
