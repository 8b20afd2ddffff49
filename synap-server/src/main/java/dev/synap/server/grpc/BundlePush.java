package dev.synap.server.grpc;

import dev.synap.core.anticipate.BundlePlan;
import dev.synap.core.anticipate.Prediction;
import dev.synap.core.anticipate.Predictor;
import dev.synap.core.anticipate.RetrievalLoad;
import dev.synap.core.anticipate.RetrievalPhase;
import dev.synap.core.control.MemoryConfig;
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
import java.util.function.Supplier;

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

  /**
   * @param newOwner told of each owner key the stream first holds a cached bundle of
   * @param knobs the instance's anticipation settings (its memory configuration), read per push so an apply takes effect at once
   */
  BundlePush(String instanceId, Retriever retriever, RetrievalLoad load, Predictor predictor, PushLedger ledger, FeedbackCredit credit,
      Outbox outbox, ListenMetrics metrics, Consumer<String> newOwner, Supplier<MemoryConfig.Anticipation> knobs) {
    this.knobs = knobs;
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

  /**
   * The one place the instance's anticipation knobs apply to every kind of push (ahead of a turn,
   * a session's user summary, write updates): off pushes none of them, and each carries at most
   * {@code max_items} items of at most {@code max_tokens} tokens together. A reactive request is
   * an answer the client asked for: it is answered with the default budgets either way.
   */
  private final Supplier<MemoryConfig.Anticipation> knobs;

  void push(BundlePlan plan, BundleAssembler.Target target) {
    long start = System.nanoTime();
    if (plan.bundleType().equals("reactive")) {
      ContextQuery query = query(plan, target, ContextQuery.DEFAULT_TOKEN_BUDGET);
      deliver(new Prediction(RetrievalPhase.COMPLETE, plan, load.retrieve(retriever, query, null)), target, start);
      return;
    }
    MemoryConfig.Anticipation k = knobs.get();
    if (!k.enabled()) return;
    BundlePlan capped = capped(plan, k.maxItems());
    predictor.predict(capped, query(capped, target, k.maxTokens()), p -> deliver(p, target, start));
  }

  /** A plan held to the instance's item budget. */
  private static BundlePlan capped(BundlePlan plan, int max) {
    if (plan.maxItems() <= max) return plan;
    return new BundlePlan(plan.bundleType(), plan.queries(), plan.keywords(), plan.types(), plan.originPatternId(), plan.confidence(),
        plan.ttlSeconds(), max);
  }

  private ContextQuery query(BundlePlan plan, BundleAssembler.Target target, int tokenBudget) {
    Scope scope = target.userId() != null ? Scope.USER : target.customerId() != null ? Scope.CUSTOMER
        : target.conversationId() != null ? Scope.CONVERSATION : Scope.CLIENT;
    return new ContextQuery(instanceId, scope, target.conversationId(), target.userId(), target.customerId(), plan.queries(), plan.types(),
        plan.maxItems(), "fast", tokenBudget);
  }

  private void deliver(Prediction p, BundleAssembler.Target target, long start) {
    if (p.phase() == RetrievalPhase.SHED) metrics.shed();
    boolean reactive = p.plan().bundleType().equals("reactive");
    // A user summary is whole: the client answers query-less fetches with the freshest one as it is.
    boolean whole = reactive || p.plan().bundleType().equals("user_summary");
    ContextResult result = whole ? p.result() : ledger.withoutHeld(p.result());
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
    MemoryConfig.Anticipation k = knobs.get();
    if (!predictor.followsWrites() || !k.enabled()) return;
    List<ContextItem> items = new ArrayList<>();
    for (Memory m : memories) items.add(new ContextItem(m, 0.5, 0.0, "update", Tokens.estimate(m.content())));
    ContextResult unheld = ledger.withoutHeld(new ContextResult(items, 0, k.maxTokens(), false, "fast", List.of("update"), 0));
    // Within the budgets, in the order written; what does not fit is fetched when asked for.
    List<ContextItem> kept = new ArrayList<>();
    int tokens = 0;
    for (ContextItem i : unheld.items()) {
      if (kept.size() == k.maxItems() || tokens + i.tokens() > k.maxTokens()) break;
      kept.add(i);
      tokens += i.tokens();
    }
    if (kept.isEmpty()) return;
    ContextResult fresh = new ContextResult(kept, tokens, k.maxTokens(), false, "fast", List.of("update"), 0);
    BundlePlan plan = new BundlePlan("anticipation", List.of(), List.of(), Set.of(), "memory_write.update", 0.5f, 1800, fresh.items().size());
    BundleAssembler.Target target = new BundleAssembler.Target(userId, customerId, null);
    ContextBundleProto bundle = BundleAssembler.assemble(plan, RetrievalPhase.COMPLETE, fresh, target);
    track(bundle, plan.originPatternId(), fresh, target, true);
    outbox.bundle(ownerKey(target) + "|update", StreamResponse.newBuilder().setContextBundle(bundle).build());
  }

  /**
   * A session starts: the owner's {@code user_summary} bundle, their newest memories (the
   * contract's bundle type for a user's standing context; the official client answers a fetch
   * without a query with the freshest one, and splices it into every fifth answer). Sent whole,
   * items the client holds included.
   */
  void userSummary(BundleAssembler.Target target) {
    if (target.userId() == null && target.customerId() == null) return;
    MemoryConfig.Anticipation k = knobs.get();
    if (!k.enabled()) return;
    long start = System.nanoTime();
    BundlePlan plan = new BundlePlan("user_summary", List.of(), List.of(), Set.of(), "session_start.user_summary", 0.7f, 1800,
        Math.min(SUMMARY_ITEMS, k.maxItems()));
    BundleAssembler.Target owner = new BundleAssembler.Target(target.userId(), target.customerId(), null);
    deliver(new Prediction(RetrievalPhase.COMPLETE, plan, load.retrieve(retriever, query(plan, owner, k.maxTokens()), null)), owner, start);
  }

  static final int SUMMARY_ITEMS = 15;

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
