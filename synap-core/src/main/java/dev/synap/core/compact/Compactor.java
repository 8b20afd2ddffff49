package dev.synap.core.compact;

import dev.synap.core.ConflictException;
import dev.synap.core.InvalidInputException;
import dev.synap.core.NotFoundException;
import dev.synap.core.model.Memory;
import dev.synap.core.model.Message;
import dev.synap.core.model.Scope;
import dev.synap.core.priority.ReadPriority;
import dev.synap.core.retrieve.Tokens;
import dev.synap.core.store.CompactionStore;
import dev.synap.core.store.MemoryFilter;
import dev.synap.core.store.MemoryStore;
import dev.synap.core.store.MessageStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs compactions: {@link #compact} answers at once with the job and runs it on a small pool;
 * {@link #compactNow} runs it in the caller (benchmarks). One job per conversation at a time: a
 * second request while one runs is a {@link ConflictException} ({@code compaction_in_progress}).
 * A conversation with no messages is a {@link NotFoundException}: there is no context to compact.
 */
public final class Compactor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
  /** Upper bound on turns read per conversation; far above any conversation an agent keeps open. */
  static final int MAX_MESSAGES = 50_000;
  private static final int MAX_MEMORIES = 20_000;

  private final MessageStore messages;
  private final MemoryStore memories;
  private final CompactionStore store;
  private final CompactionSettings settings;
  private final Summarizer summarizer;
  private final ExecutorService jobs;
  private final ReadPriority readPriority;
  private final Map<String, String> running = new ConcurrentHashMap<>();
  private final List<Consumer<Compaction>> listeners = new CopyOnWriteArrayList<>();

  /** What a compact request got: a new job, or the current compaction when nothing changed. */
  public record Started(Compaction job, Optional<Compaction> previous, boolean reused) {}

  public Compactor(MessageStore messages, MemoryStore memories, CompactionStore store, CompactionSettings settings) {
    this(messages, memories, store, settings, ReadPriority.NONE);
  }

  /** @param readPriority queued jobs wait for client reads in flight before they start (see {@link ReadPriority}) */
  public Compactor(MessageStore messages, MemoryStore memories, CompactionStore store, CompactionSettings settings, ReadPriority readPriority) {
    this.readPriority = readPriority;
    this.messages = messages;
    this.memories = memories;
    this.store = store;
    this.settings = settings;
    Summarizer extractive = new ExtractiveSummarizer();
    this.summarizer = settings.llm() == null ? extractive : new ChatSummarizer(settings.llm(), extractive);
    // Platform threads: summarising is CPU-bound, and on a virtual thread it would hold a carrier
    // that REST handlers and gRPC callbacks need.
    this.jobs = Executors.newFixedThreadPool(Math.max(1, settings.workers()), Thread.ofPlatform().name("synap-compact-", 0).daemon(true).factory());
  }

  public CompactionSettings settings() {
    return settings;
  }

  /** Jobs a previous run left in progress can never finish; fail them so new ones may start. */
  public int recoverInterrupted() {
    return store.failInterrupted("interrupted by a server restart");
  }

  /** Called with each completed compaction (stream pushes, caches). */
  public void onCompleted(Consumer<Compaction> listener) {
    listeners.add(listener);
  }

  public Started compact(CompactionRequest r) {
    Started s = begin(r);
    // The caller's log context (the REST request's correlation id) follows the job to its thread.
    Map<String, String> logContext = MDC.getCopyOfContextMap();
    if (!s.reused()) jobs.submit(() -> {
      if (logContext != null) MDC.setContextMap(logContext);
      try {
        readPriority.awaitTurn();
        return run(s.job(), r);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return run(s.job(), r);
      } finally {
        MDC.clear();
      }
    });
    return s;
  }

  /** Compacts in the calling thread and returns the finished (completed or failed) compaction. */
  public Compaction compactNow(CompactionRequest r) {
    Started s = begin(r);
    return s.reused() ? s.job() : run(s.job(), r);
  }

  private Started begin(CompactionRequest r) {
    if (r.targetTokens() != null && r.targetTokens() < 1) throw new InvalidInputException("target_tokens must be at least 1");
    List<Message> newest = messages.conversation(r.instanceId(), r.conversationId(), 1);
    if (newest.isEmpty()) throw new NotFoundException("conversation " + r.conversationId() + " has no messages to compact");
    Optional<Compaction> previous = store.latestCompleted(r.instanceId(), r.conversationId());
    boolean unchanged = previous.isPresent() && newest.getFirst().messageId().equals(previous.get().result().cutoffMessageId());
    if (unchanged && !r.force()) return new Started(previous.get(), previous, true);
    String key = r.instanceId() + "\u0000" + r.conversationId();
    Compaction job = new Compaction("cmp_" + UUID.randomUUID(), r.instanceId(), r.conversationId(), newest.getFirst().userId(), r.trigger(),
        r.strategy(), r.targetTokens(), Instant.now(), Compaction.IN_PROGRESS, null, null, null, null);
    if (running.putIfAbsent(key, job.compactionId()) != null || !startDurably(job, key)) {
      throw new ConflictException("compaction_in_progress", "a compaction of conversation " + r.conversationId() + " is already in progress");
    }
    return new Started(job, previous, false);
  }

  private boolean startDurably(Compaction job, String key) {
    boolean started = false;
    try {
      started = store.start(job);
      return started;
    } finally {
      if (!started) running.remove(key, job.compactionId());
    }
  }

  private Compaction run(Compaction job, CompactionRequest r) {
    try {
      List<Message> turns = messages.conversation(r.instanceId(), r.conversationId(), MAX_MESSAGES);
      List<Memory> extracted = memories.list(new MemoryFilter(r.instanceId(), Scope.CONVERSATION, null, null, r.conversationId(), Set.of(), false),
          MAX_MEMORIES, 0);
      CompactionResult result = summarize(new Transcript(turns, extracted), r.strategy(), r.targetTokens(),
          CompactionRequest.SUMMARY.equals(r.trigger()) ? CompactionRequest.MIN_SUMMARY_TOKENS : 1);
      Compaction done = store.complete(job.compactionId(), result, Instant.now());
      for (Consumer<Compaction> l : listeners) {
        try {
          l.accept(done);
        } catch (RuntimeException e) {
          LOG.warn("compaction listener failed: {}", e.toString());
        }
      }
      return done;
    } catch (RuntimeException | Error e) {
      // Whatever went wrong, the job must not stay in_progress: that would block the conversation.
      LOG.warn("compaction {} of {} failed: {}", job.compactionId(), r.conversationId(), e.toString());
      store.fail(job.compactionId(), e.getMessage() == null ? e.toString() : e.getMessage(), Instant.now());
      if (e instanceof Error error) throw error;
      return store.latest(r.instanceId(), r.conversationId()).orElse(job);
    } finally {
      running.remove(r.instanceId() + "\u0000" + r.conversationId(), job.compactionId());
    }
  }

  private CompactionResult summarize(Transcript t, Strategy requested, Integer targetTokens, int floor) {
    Strategy used = requested == Strategy.ADAPTIVE ? AdaptivePolicy.choose(t) : requested;
    int target = targetTokens != null ? targetTokens : (int) Math.max(floor, Math.round(t.originalTokens() * used.keepRatio()));
    SummaryDraft draft = summarizer.summarize(t, target);
    double score = CoverageValidator.score(t, draft.text());
    Message last = t.messages().getLast();
    return new CompactionResult(used, t.originalTokens(), Tokens.estimate(draft.text()), score, score < settings.qualityThreshold(),
        draft.summarizer(), draft.text(), ConversationState.of(t), KeyExtractor.of(draft.kept()), t.messages().size(), last.messageId(),
        last.recordedAt());
  }

  public Optional<Compaction> latest(String instanceId, String conversationId) {
    return store.latest(instanceId, conversationId);
  }

  public Optional<Compaction> latestCompleted(String instanceId, String conversationId) {
    return store.latestCompleted(instanceId, conversationId);
  }

  public Optional<Compaction> version(String instanceId, String conversationId, int version) {
    return store.version(instanceId, conversationId, version);
  }

  /** The latest compaction plus what arrived after it. */
  public ConversationContext context(String instanceId, String conversationId) {
    List<Message> turns = messages.conversation(instanceId, conversationId, MAX_MESSAGES);
    Optional<Compaction> compaction = store.latestCompleted(instanceId, conversationId);
    int cutoff = compaction.map(c -> cutoffIndex(turns, c.result())).orElse(-1);
    List<Message> after = turns.subList(cutoff + 1, turns.size());
    int tokens = after.stream().mapToInt(m -> Tokens.estimate(m.content())).sum();
    List<Message> recent = List.copyOf(after.subList(Math.max(0, after.size() - settings.recentTurns()), after.size()));
    return new ConversationContext(instanceId, conversationId, compaction, recent, after.size(), tokens, cutoff + 1, turns.size());
  }

  /** Position of the last compacted turn; by time when that turn no longer exists. */
  private static int cutoffIndex(List<Message> turns, CompactionResult r) {
    for (int i = turns.size() - 1; i >= 0; i--) if (turns.get(i).messageId().equals(r.cutoffMessageId())) return i;
    int idx = -1;
    for (int i = 0; i < turns.size(); i++) if (!turns.get(i).recordedAt().isAfter(r.cutoffAt())) idx = i;
    return idx;
  }

  @Override
  public void close() {
    jobs.shutdown();
    try {
      if (!jobs.awaitTermination(10, TimeUnit.SECONDS)) jobs.shutdownNow();
    } catch (InterruptedException e) {
      jobs.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
