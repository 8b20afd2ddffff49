package dev.synap.core.compact;

import dev.synap.core.ConflictException;
import dev.synap.core.model.Memory;
import dev.synap.core.model.Message;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts a conversation by itself once it has {@code autoTurns} turns or {@code autoTokens}
 * tokens that no compaction covers yet.
 *
 * <p>Debounced per conversation: each processed turn pushes the check back by {@code debounce},
 * so a burst of turns leads to one check, not one per turn; a conversation that never pauses is
 * still checked {@code maxDelay} after its first unchecked turn. The check reads the store, so the
 * counts survive restarts and need no bookkeeping here.
 */
public final class AutoCompaction implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutoCompaction.class);

  private record Pending(long firstNanos, ScheduledFuture<?> check) {}

  private final Compactor compactor;
  private final CompactionSettings settings;
  private final ScheduledThreadPoolExecutor timer = timer();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  /** Cancelled checks are removed at once: a busy conversation reschedules on every turn. */
  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("synap-auto-compaction").daemon(true).factory());
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  /** Per-instance thresholds from the instance's memory configuration; null for an instance that has none (the settings apply). */
  private volatile java.util.function.Function<String, dev.synap.core.control.MemoryConfig.Compaction> perInstance = id -> null;

  public AutoCompaction(Compactor compactor, CompactionSettings settings) {
    this.compactor = compactor;
    this.settings = settings;
  }

  public void perInstance(java.util.function.Function<String, dev.synap.core.control.MemoryConfig.Compaction> thresholds) {
    this.perInstance = thresholds;
  }

  /** Ingest listener: a turn of this conversation was processed. */
  public void onProcessed(Message m, List<Memory> memories) {
    if (m.conversationId() == null) return;
    var own = perInstance.apply(m.instanceId());
    if (own != null && !own.auto()) return;
    String instanceId = m.instanceId();
    String conversationId = m.conversationId();
    String key = instanceId + "\u0000" + conversationId;
    long now = System.nanoTime();
    pending.compute(key, (k, p) -> {
      if (p != null && now - p.firstNanos() >= settings.maxDelay().toNanos()) return p; // overdue: let it fire
      if (p != null) p.check().cancel(false);
      ScheduledFuture<?> f = timer.schedule(() -> check(key, instanceId, conversationId), settings.debounce().toMillis(), TimeUnit.MILLISECONDS);
      return new Pending(p == null ? now : p.firstNanos(), f);
    });
  }

  private void check(String key, String instanceId, String conversationId) {
    pending.remove(key);
    try {
      ConversationContext ctx = compactor.context(instanceId, conversationId);
      var own = perInstance.apply(instanceId);
      int turns = own == null ? settings.autoTurns() : own.autoTurns();
      int tokens = own == null ? settings.autoTokens() : own.autoTokens();
      if (ctx.uncompactedCount() < turns && ctx.uncompactedTokens() < tokens) return;
      compactor.compact(new CompactionRequest(instanceId, conversationId, Strategy.ADAPTIVE, null, false, CompactionRequest.AUTO));
    } catch (ConflictException e) {
      LOG.debug("auto compaction of {} skipped: one is running", conversationId);
    } catch (RuntimeException e) {
      LOG.warn("auto compaction of {} failed to start: {}", conversationId, e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
