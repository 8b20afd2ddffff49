package dev.synap.server.grpc;

import dev.synap.core.anticipate.BundlePlan;
import dev.synap.core.anticipate.Prediction;
import dev.synap.core.anticipate.Predictor;
import dev.synap.core.anticipate.RetrievalLoad;
import dev.synap.core.anticipate.RetrievalPhase;
import dev.synap.core.model.Memory;
import dev.synap.core.model.Scope;
import dev.synap.core.retrieve.ContextItem;
import dev.synap.core.retrieve.ContextQuery;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.core.retrieve.Retriever;
import dev.synap.core.retrieve.Tokens;
import dev.synap.proto.v1.ContextBundleProto;
import dev.synap.proto.v1.StreamResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * From a plan to bundles on one stream. A reactive request ({@code context_request}) gets one
 * bundle with the full result: the caller asked for an answer, not a stream of them. Anything else
 * goes to the {@link Predictor}, whose results are pushed as they come, each without the items
 * the client already holds (nothing at all when that leaves nothing). A first pass and the
 * complete result after it are coalesced separately under back-pressure: a newer first pass
 * replaces an older one, and neither replaces the other.
 */
final class BundlePush {
  private final String instanceId;
  private final Retriever retriever;
  private final RetrievalLoad load;
  private final Predictor predictor;
  private final PushLedger ledger;
  private final FeedbackCredit credit;
  private final Outbox outbox;
  private final ListenMetrics metrics;
  private final Consumer<String> newOwner;

  /** @param newOwner told of each owner key the stream first holds a cached bundle of */
  BundlePush(String instanceId, Retriever retriever, RetrievalLoad load, Predictor predictor, PushLedger ledger, FeedbackCredit credit,
      Outbox outbox, ListenMetrics metrics, Consumer<String> newOwner) {
    this.instanceId = instanceId;
    this.retriever = retriever;
    this.load = load;
    this.predictor = predictor;
    this.ledger = ledger;
    this.credit = credit;
    this.outbox = outbox;
    this.metrics = metrics;
    this.newOwner = newOwner;
  }

  void push(BundlePlan plan, BundleAssembler.Target target) {
    long start = System.nanoTime();
    ContextQuery query = query(plan, target);
    if (plan.bundleType().equals("reactive")) {
      deliver(new Prediction(RetrievalPhase.COMPLETE, plan, load.retrieve(retriever, query, null)), target, start);
    } else {
      predictor.predict(plan, query, p -> deliver(p, target, start));
    }
  }

  private ContextQuery query(BundlePlan plan, BundleAssembler.Target target) {
    Scope scope = target.userId() != null ? Scope.USER : target.customerId() != null ? Scope.CUSTOMER
        : target.conversationId() != null ? Scope.CONVERSATION : Scope.CLIENT;
    return new ContextQuery(instanceId, scope, target.conversationId(), target.userId(), target.customerId(), plan.queries(), plan.types(),
        plan.maxItems(), "fast", ContextQuery.DEFAULT_TOKEN_BUDGET);
  }

  private void deliver(Prediction p, BundleAssembler.Target target, long start) {
    if (p.phase() == RetrievalPhase.SHED) metrics.shed();
    boolean reactive = p.plan().bundleType().equals("reactive");
    ContextResult result = reactive ? p.result() : ledger.withoutHeld(p.result());
    if (!reactive && result.items().isEmpty()) {
      metrics.suppressed();
      return;
    }
    ContextBundleProto bundle = BundleAssembler.assemble(p.plan(), p.phase(), result, target);
    track(bundle, p.plan().originPatternId(), result, target, !reactive);
    String key = ownerKey(target) + "|" + p.plan().bundleType() + (p.phase() == RetrievalPhase.FIRST_PASS ? "|first" : "");
    outbox.bundle(key, StreamResponse.newBuilder().setContextBundle(bundle).build());
    metrics.pushed(p.plan().bundleType(), p.phase(), System.nanoTime() - start);
  }

  /**
   * New or edited memories of an owner this stream holds bundles for: push the ones the client
   * does not hold yet, so its cache does not go stale (another agent or a document wrote them).
   */
  void update(String userId, String customerId, List<Memory> memories) {
    if (!predictor.followsWrites()) return;
    List<ContextItem> items = new ArrayList<>();
    for (Memory m : memories) items.add(new ContextItem(m, 0.5, 0.0, "update", Tokens.estimate(m.content())));
    ContextResult fresh = ledger.withoutHeld(new ContextResult(items, 0, ContextQuery.DEFAULT_TOKEN_BUDGET, false, "fast", List.of("update"), 0));
    if (fresh.items().isEmpty()) return;
    BundlePlan plan = new BundlePlan("anticipation", List.of(), List.of(), Set.of(), "memory_write.update", 0.5f, 1800, fresh.items().size());
    BundleAssembler.Target target = new BundleAssembler.Target(userId, customerId, null);
    ContextBundleProto bundle = BundleAssembler.assemble(plan, RetrievalPhase.COMPLETE, fresh, target);
    track(bundle, plan.originPatternId(), fresh, target, true);
    outbox.bundle(ownerKey(target) + "|update", StreamResponse.newBuilder().setContextBundle(bundle).build());
  }

  private void track(ContextBundleProto bundle, String pattern, ContextResult result, BundleAssembler.Target target, boolean cached) {
    if (cached) ledger.cached(result);
    credit.pushed(bundle.getBundleId(), pattern, result);
    if (cached && (target.userId() != null || target.customerId() != null)) {
      String owner = ownerKey(target);
      if (ledger.holdsOwner(owner)) newOwner.accept(owner);
    }
  }

  private String ownerKey(BundleAssembler.Target t) {
    return StreamRegistry.ownerKey(instanceId, t.userId(), t.customerId());
  }
}
