package dev.synap.server.limit;

import dev.synap.server.auth.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The server's request budgets, shared by REST and gRPC: one bucket per API key, one per instance,
 * and one per client address for refused authentications (the socket's address, or the forwarded
 * one behind a trusted proxy, see {@link TrustedProxies}). Refusals are limited separately because
 * the official client re-opens a refused Listen about twice a second, forever; once a peer has
 * used its refusal budget, its next attempts are turned away before any key lookup.
 */
public final class RateLimits {
  /** Peer buckets are keyed by address, which a client controls; evict idle ones past this size. */
  static final int MAX_PEERS = 10_000;

  private final RateLimitSettings settings;
  private final MeterRegistry meters;
  private final Map<String, TokenBucket> byKey = new ConcurrentHashMap<>();
  private final Map<String, TokenBucket> byInstance = new ConcurrentHashMap<>();
  private final Map<String, TokenBucket> refusalsByPeer = new ConcurrentHashMap<>();
  private final LongSupplier clock;
  /** Live nodes sharing the store: each enforces 1/N of the key and instance budgets (see {@link #nodes}). */
  private volatile int nodes = 1;

  public RateLimits(RateLimitSettings settings, MeterRegistry meters) {
    this(settings, meters, System::nanoTime);
  }

  RateLimits(RateLimitSettings settings, MeterRegistry meters, LongSupplier clock) {
    this.settings = settings;
    this.meters = meters;
    this.clock = clock;
  }

  /**
   * Spends one request of the caller's key and instance budgets, or of neither: a request the
   * instance budget refuses gives the key's token back, so a busy instance does not drain the
   * budget of a key that was not the one using it.
   */
  public Admission admit(Caller caller, String edge) {
    TokenBucket key = null;
    if (settings.keyPerSecond() > 0) {
      key = byKey.computeIfAbsent(caller.keyHash(), k -> new TokenBucket(settings.keyPerSecond(), settings.keyBurst(), clock));
      key.share(nodes);
      long wait = key.tryTake();
      if (wait > 0) return refused(edge, Admission.refused("key", wait, settings.keyBurst()));
    }
    if (settings.instancePerSecond() > 0) {
      TokenBucket instance = byInstance.computeIfAbsent(caller.instance().instanceId(),
          k -> new TokenBucket(settings.instancePerSecond(), settings.instanceBurst(), clock));
      instance.share(nodes);
      long wait = instance.tryTake();
      if (wait > 0) {
        if (key != null) key.giveBack();
        return refused(edge, Admission.refused("instance", wait, settings.instanceBurst()));
      }
    }
    return Admission.ALLOWED;
  }

  /**
   * How many nodes enforce the budgets together (live nodes seen in the shared store's heartbeats):
   * each takes 1/N of every key and instance budget, so behind a balancer that spreads requests
   * evenly the cluster admits about the configured rate. Refusal budgets stay per node (they key
   * on the client address, which a balancer keeps apart anyway).
   */
  public void nodes(int n) {
    nodes = Math.max(1, n);
  }

  /** Whether a peer may try to authenticate at all; costs nothing and spends nothing. */
  public Admission admitPeer(String peer, String edge) {
    if (settings.refusalsPerSecond() <= 0 || peer == null) return Admission.ALLOWED;
    TokenBucket b = refusalsByPeer.get(peer);
    long wait = b == null ? 0 : b.waitNanos();
    return wait == 0 ? Admission.ALLOWED : refused(edge, Admission.refused("peer", wait, settings.refusalBurst()));
  }

  /** Records a refused authentication from {@code peer}. */
  public void refusedAuthentication(String peer) {
    if (settings.refusalsPerSecond() <= 0 || peer == null) return;
    if (refusalsByPeer.size() >= MAX_PEERS) {
      refusalsByPeer.values().removeIf(TokenBucket::isFull);
      // Still full: the addresses are many and all busy (spoofed or IPv6 churn). Forgetting them
      // only lets each try its burst again; growing without bound would be worse.
      if (refusalsByPeer.size() >= MAX_PEERS) refusalsByPeer.clear();
    }
    refusalsByPeer.computeIfAbsent(peer, p -> new TokenBucket(settings.refusalsPerSecond(), settings.refusalBurst(), clock)).tryTake();
  }

  private Admission refused(String edge, Admission a) {
    meters.counter("synap.rate_limited", "edge", edge, "limit", a.limit()).increment();
    return a;
  }
}
