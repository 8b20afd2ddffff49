package dev.synap.sdk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The in-process cache that pushed bundles land in, so the next fetch is answered without a
 * network call.
 *
 * <p>Keying: each bundle is stored under its id and tagged with its {@link Owner}: the user it was
 * pushed for (with the customer, in B2B), else the customer, else the instance, plus its
 * conversation id. A fetch names the owners it may see, and sees only those: a bundle for user A
 * is never an answer for user B. The owner is a typed value, not a string, so no user id (not even
 * one spelled like an internal marker) can collide with another owner. A bundle owned by the
 * instance (an event that named no user) may hold memories of that event's conversation, so it
 * answers only fetches of the instance or conversation scope, and if it belongs to a conversation,
 * only fetches that name that conversation; never a user's or a customer's fetch. (The official
 * client tags such bundles {@code _any} and lets every fetch see them.)
 *
 * <p>Matching: if the fetch repeats a query the server prefetched for (same terms), the items of
 * the bundles prefetched for it are the answer in the server's order of relevance. Otherwise items
 * are scored with BM25 over the in-scope items, and the fetch is a hit when the best items cover
 * enough of the query's weight (see {@link #DEFAULT_MIN_COVERAGE}). Lifetime is a sliding TTL refreshed on
 * every hit, capped by an absolute age; a positive {@code ttl_hint_seconds} from the server
 * shortens it. The least recently stored or hit bundle is evicted beyond the capacity.
 */
public final class AnticipationCache {
  /** Whose a cached bundle is; see the class comment. */
  record Owner(Kind kind, String customerId, String userId) {
    enum Kind { USER, CUSTOMER, INSTANCE }

    private static final Owner INSTANCE = new Owner(Kind.INSTANCE, null, null);

    /** A user; in B2B a user id is only unique within its customer, so the customer is part of the key. */
    static Owner user(String customerId, String userId) {
      return new Owner(Kind.USER, customerId, Objects.requireNonNull(userId));
    }

    static Owner customer(String customerId) {
      return new Owner(Kind.CUSTOMER, Objects.requireNonNull(customerId), null);
    }

    static Owner instance() {
      return INSTANCE;
    }

    static Owner of(ContextBundle b) {
      return b.userId() != null ? user(b.customerId(), b.userId()) : b.customerId() != null ? customer(b.customerId()) : INSTANCE;
    }
  }

  private record Entry(
      ContextBundle bundle, Owner owner, String conversationId, List<ItemTerms> itemTerms, List<Set<String>> queryTerms,
      long storedAt, long lifetimeNanos, long[] lastHit) {}

  /** An item's term frequencies and length, computed once when the bundle is stored. */
  private record ItemTerms(Map<String, Integer> tf, int length) {
    static ItemTerms of(String content) {
      List<String> terms = Terms.of(content);
      Map<String, Integer> tf = new HashMap<>();
      for (String t : terms) tf.merge(t, 1, Integer::sum);
      return new ItemTerms(tf, terms.size());
    }
  }

  /**
   * What a lookup returned: the items, which bundles they came from, and the cache's confidence in
   * the answer (the share of the query's weight its items cover; 1 for a prefetched query).
   */
  record Hit(List<ContextItem> items, List<String> bundleIds, double confidence) {
    Hit(List<ContextItem> items, List<String> bundleIds) {
      this(items, bundleIds, 1.0);
    }
  }

  private final int capacity;
  private final double minCoverage;
  private final int recentSlots;
  private final long ttlNanos;
  private final long maxAgeNanos;
  private final LongSupplier clock;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong stale = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();
  private final AtomicLong stored = new AtomicLong();

  AnticipationCache(int capacity, Duration ttl, Duration maxAge, double minCoverage) {
    this(capacity, ttl, maxAge, minCoverage, System::nanoTime);
  }

  AnticipationCache(int capacity, Duration ttl, Duration maxAge, LongSupplier clock) {
    this(capacity, ttl, maxAge, DEFAULT_MIN_COVERAGE, clock);
  }

  AnticipationCache(int capacity, Duration ttl, Duration maxAge, double minCoverage, LongSupplier clock) {
    this(capacity, ttl, maxAge, minCoverage, DEFAULT_RECENT_SLOTS, clock);
  }

  AnticipationCache(int capacity, Duration ttl, Duration maxAge, double minCoverage, int recentSlots, LongSupplier clock) {
    this.minCoverage = minCoverage;
    this.recentSlots = Math.max(0, recentSlots);
    this.capacity = Math.max(1, capacity);
    this.ttlNanos = ttl.toNanos();
    this.maxAgeNanos = maxAge.isZero() ? Long.MAX_VALUE : maxAge.toNanos();
    this.clock = clock;
  }

  /** The origin pattern of the bundles a server pushes when an owner's memories were written or edited. */
  static final String MEMORY_WRITE = "memory_write.update";

  /**
   * Stores a pushed bundle; reactive bundles and empty ones are not cached. A
   * {@value #MEMORY_WRITE} bundle carries memories of its owner that were just written or edited:
   * the owner's bundles holding an older version of any of them are dropped first, so the cache
   * never answers with a memory as it was before the change.
   */
  synchronized void put(ContextBundle b) {
    if (MEMORY_WRITE.equals(b.originPatternId())) {
      forget(b.items().stream().map(ContextItem::id).collect(java.util.stream.Collectors.toSet()), Owner.of(b));
    }
    if ("reactive".equals(b.bundleType()) || b.items().isEmpty()) return;
    List<ItemTerms> itemTerms = b.items().stream().map(i -> ItemTerms.of(i.content())).toList();
    List<Set<String>> queryTerms = b.searchQueries().stream().map(q -> (Set<String>) new HashSet<>(Terms.of(q))).toList();
    long lifetime = ttlNanos;
    if (b.ttlHintSeconds() > 0) lifetime = Math.min(lifetime, Duration.ofSeconds(b.ttlHintSeconds()).toNanos());
    long now = clock.getAsLong();
    entries.put(b.bundleId(), new Entry(b, Owner.of(b), b.conversationId(), itemTerms, queryTerms, now, lifetime, new long[] {now}));
    stored.incrementAndGet();
    while (entries.size() > capacity) {
      Iterator<String> eldest = entries.keySet().iterator();
      eldest.next();
      eldest.remove();
      evictions.incrementAndGet();
    }
  }

  /**
   * Answers a fetch from cached bundles, or empty (a miss).
   *
   * @param owners the owners whose bundles this fetch may see
   * @param conversationId when set, only bundles of that conversation or of none; when null, no
   *     instance-owned bundle of a conversation
   */
  synchronized Optional<Hit> lookup(Set<Owner> owners, String conversationId, List<String> queries, Set<String> types, int max) {
    long now = clock.getAsLong();
    List<Entry> inScope = new ArrayList<>();
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (expired(e, now)) {
        it.remove();
        stale.incrementAndGet();
        continue;
      }
      if (!owners.contains(e.owner())) continue;
      if (e.conversationId() != null && !e.conversationId().equals(conversationId)
          && (conversationId != null || e.owner().kind() == Owner.Kind.INSTANCE)) continue;
      inScope.add(e);
    }
    Optional<Hit> hit = inScope.isEmpty() ? Optional.empty() : match(inScope, queries, types, max);
    if (hit.isPresent()) {
      hits.incrementAndGet();
      for (Entry e : inScope) {
        if (hit.get().bundleIds().contains(e.bundle().bundleId())) {
          e.lastHit()[0] = now;
          entries.get(e.bundle().bundleId()); // access order: a hit keeps the bundle young
        }
      }
    } else {
      misses.incrementAndGet();
    }
    return hit;
  }

  private boolean expired(Entry e, long now) {
    return now - e.lastHit()[0] > e.lifetimeNanos() || now - e.storedAt() > maxAgeNanos;
  }

  private Optional<Hit> match(List<Entry> inScope, List<String> queries, Set<String> types, int max) {
    Set<String> q = new LinkedHashSet<>();
    for (String s : queries) q.addAll(Terms.of(s));
    if (q.isEmpty()) {
      // No query: the freshest bundle in scope is the best guess of "what matters now".
      Entry freshest = inScope.stream().max(Comparator.comparingLong(Entry::storedAt)).orElseThrow();
      List<ContextItem> items = filter(freshest.bundle().items(), types, max);
      return items.isEmpty() ? Optional.empty() : Optional.of(new Hit(items, List.of(freshest.bundle().bundleId())));
    }
    List<Entry> prefetched = new ArrayList<>();
    for (Entry e : inScope) {
      if (e.queryTerms().stream().anyMatch(searched -> jaccard(q, searched) >= 0.8)) prefetched.add(e);
    }
    return prefetched.isEmpty() ? bm25(inScope, q, types, max) : Optional.of(prefetchedAnswer(prefetched, inScope, q, types, max));
  }

  /**
   * The server prefetched for this very query. Its bundles lead, their items in the server's order
   * of relevance (a plan's first pass and the dense search's additions are two bundles, and an
   * earlier event may have asked the same); because the server never resends items the client
   * already holds, the answer is topped up with the best matching items of the other in-scope
   * bundles.
   */
  private Hit prefetchedAnswer(List<Entry> prefetched, List<Entry> inScope, Set<String> q, Set<String> types, int max) {
    List<ContextItem> candidates = new ArrayList<>();
    Set<String> bundles = new TreeSet<>();
    for (Entry e : prefetched) {
      candidates.addAll(e.bundle().items());
      bundles.add(e.bundle().bundleId());
    }
    candidates.sort(Comparator.comparingDouble(ContextItem::relevance).reversed());
    List<ContextItem> items = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (ContextItem i : filter(candidates, types, Integer.MAX_VALUE)) {
      if (items.size() < max && ids.add(i.id())) items.add(i);
    }
    if (items.size() < max) {
      bm25(inScope, q, types, max).ifPresent(more -> {
        for (int k = 0; k < more.items().size() && items.size() < max; k++) {
          if (ids.add(more.items().get(k).id())) items.add(more.items().get(k));
        }
        bundles.addAll(more.bundleIds());
      });
    }
    return new Hit(List.copyOf(items), List.copyOf(bundles));
  }

  /** Slots of a ranked answer kept for the newest in-scope items, unless configured. */
  static final int DEFAULT_RECENT_SLOTS = 0;

  /** Share of the query's weight (idf) the answer must cover for the cache to answer at all, unless configured. */
  static final double DEFAULT_MIN_COVERAGE = 0.3;

  /**
   * Ranks the in-scope items for the query and decides whether they answer it.
   *
   * <p>Ranking: BM25 for the query's terms. The best matches lead; the configured number of slots
   * (default none) and any the matches leave free go to the newest in-scope memories, so an answer
   * holds as many items as asked for, like the server's. Only the query's terms are looked up (document
   * frequencies included), so a lookup costs items x query terms hash probes, not a pass over
   * every word. (Boosting items about the newest planned bundle's queries, i.e. the turn just
   * before, was measured on LoCoMo replays and made answers worse: a turn that needs memory
   * usually brings up an older topic, not the one just discussed. So did anchor text, i.e. counting
   * a bundle's query words as half an occurrence in the items found for them: useful hit rate
   * 0.270 against 0.349 without, over all six conversations of locomo-dev.)
   *
   * <p>Acceptance: the answer must cover at least the configured share (default {@link #DEFAULT_MIN_COVERAGE}) of the query's idf weight
   * (a term no cached item contains weighs the most: the cache knows nothing about it). A query
   * whose important words the cache has never seen goes to the server: a fast answer that misses
   * the point is worse than a slower right one.
   */
  private Optional<Hit> bm25(List<Entry> inScope, Set<String> query, Set<String> types, int max) {
    record Doc(ContextItem item, ItemTerms terms, String bundleId) {}
    List<Doc> docs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Entry e : inScope) {
      for (int i = 0; i < e.bundle().items().size(); i++) {
        ContextItem item = e.bundle().items().get(i);
        if (!types.isEmpty() && !types.contains(item.type())) continue;
        if (seen.add(item.id())) docs.add(new Doc(item, e.itemTerms().get(i), e.bundle().bundleId()));
      }
    }
    if (docs.isEmpty()) return Optional.empty();
    Map<String, Integer> df = new HashMap<>();
    double avgLen = 0;
    for (Doc d : docs) {
      avgLen += d.terms().length();
      for (String t : query) if (d.terms().tf().containsKey(t)) df.merge(t, 1, Integer::sum);
    }
    if (df.isEmpty()) return Optional.empty();
    avgLen = Math.max(1, avgLen / docs.size());
    int n = docs.size();
    Map<String, Double> idf = new HashMap<>();
    double queryWeight = 0;
    for (String t : query) {
      int f = df.getOrDefault(t, 0);
      double w = Math.log(1 + (n - f + 0.5) / (f + 0.5));
      idf.put(t, w);
      queryWeight += w;
    }
    record Scored(Doc doc, double score, Set<String> covered) {}
    List<Scored> scored = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      Doc d = docs.get(k);
      double s = 0;
      Set<String> covered = new HashSet<>();
      for (String t : query) {
        Integer tf = d.terms().tf().get(t);
        if (tf == null) continue;
        covered.add(t);
        s += idf.get(t) * (tf * 2.2) / (tf + 1.2 * (0.25 + 0.75 * d.terms().length() / avgLen));
      }
      if (!covered.isEmpty()) scored.add(new Scored(d, s, covered));
    }
    if (scored.isEmpty()) return Optional.empty();
    scored.sort(Comparator.comparingDouble(Scored::score).reversed());
    List<Scored> top = scored.subList(0, Math.min(max, scored.size()));
    Set<String> covered = new HashSet<>();
    for (Scored e : top) covered.addAll(e.covered());
    double coveredWeight = 0;
    for (String t : covered) coveredWeight += idf.get(t);
    if (queryWeight <= 0 || coveredWeight / queryWeight < minCoverage) return Optional.empty();
    List<ContextItem> items = new ArrayList<>();
    Set<String> bundles = new TreeSet<>();
    Set<String> ids = new HashSet<>();
    int matched = Math.max(1, max - recentSlots);
    for (Scored e : top.subList(0, Math.min(matched, top.size()))) {
      items.add(e.doc().item());
      bundles.add(e.doc().bundleId());
      ids.add(e.doc().item().id());
    }
    // The newest memories in scope fill the reserved slots (and any the matches left free): a turn
    // that needs memory often needs what was just said, in words the query does not repeat.
    List<Doc> newest = new ArrayList<>(docs);
    newest.sort(Comparator.comparing((Doc d) -> d.item().createdAt() == null ? "" : d.item().createdAt()).reversed());
    for (Doc d : newest) {
      if (items.size() >= max) break;
      if (ids.add(d.item().id())) {
        items.add(d.item());
        bundles.add(d.bundleId());
      }
    }
    for (Scored e : top) {
      if (items.size() >= max) break;
      if (ids.add(e.doc().item().id())) {
        items.add(e.doc().item());
        bundles.add(e.doc().bundleId());
      }
    }
    return Optional.of(new Hit(items, List.copyOf(bundles), coveredWeight / queryWeight));
  }

  private static List<ContextItem> filter(List<ContextItem> items, Set<String> types, int max) {
    return items.stream().filter(i -> types.isEmpty() || types.contains(i.type())).limit(max).toList();
  }

  private static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() || b.isEmpty()) return 0;
    int inter = 0;
    for (String s : a) if (b.contains(s)) inter++;
    return (double) inter / (a.size() + b.size() - inter);
  }

  public synchronized CacheStats stats() {
    return new CacheStats(hits.get(), misses.get(), stale.get(), evictions.get(), stored.get(), entries.size());
  }

  /** Drops every bundle and resets the counters. */
  public synchronized void clear() {
    entries.clear();
    hits.set(0);
    misses.set(0);
    stale.set(0);
    evictions.set(0);
    stored.set(0);
  }

  /**
   * Drops the bundles holding any of these memories (of {@code owner}'s bundles only, when given):
   * they changed or were deleted (through this SDK, or as a server push said).
   */
  synchronized int forget(Set<String> memoryIds, Owner owner) {
    if (memoryIds.isEmpty()) return 0;
    int before = entries.size();
    entries.values().removeIf(e -> (owner == null || owner.equals(e.owner()))
        && e.bundle().items().stream().anyMatch(i -> memoryIds.contains(i.id())));
    return before - entries.size();
  }

  /** Drops the bundles held for one user (e.g. after that user's data changed or was deleted). */
  public synchronized int clearUser(String userId) {
    int before = entries.size();
    entries.values().removeIf(e -> userId.equals(e.bundle().userId()));
    return before - entries.size();
  }
}
