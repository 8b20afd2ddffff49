package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cache on its own, with a controllable clock: scope keying, TTL, capacity, stats. */
class AnticipationCacheTest {
  final AtomicLong now = new AtomicLong();
  final AnticipationCache cache = new AnticipationCache(3, Duration.ofSeconds(60), Duration.ofSeconds(120), now::get);

  static ContextBundle bundle(String id, String user, int ttlHint, String... contents) {
    List<ContextItem> items = new java.util.ArrayList<>();
    for (int i = 0; i < contents.length; i++) items.add(new ContextItem(id + "-" + i, "facts", contents[i], 0.9, 0.8, null, null, null, null, "lexical"));
    return new ContextBundle(id, "anticipation", user, null, null, items, List.of("dog name"), 10, ttlHint, 0.8f, "test", null, null, "none");
  }

  private AnticipationCache.Hit lookup(String user, String query) {
    return cache.lookup(Set.of(AnticipationCache.Owner.user(null, user)), null, List.of(query), Set.of(), 10).orElse(null);
  }

  static ContextItem item(String id, String content, double relevance) {
    return new ContextItem(id, "facts", content, 0.9, relevance, null, null, null, null, "lexical");
  }

  @Test
  void aRepeatedQueryIsAnsweredFromEveryBundlePrefetchedForItInTheServersOrder() {
    // A plan's lexical first pass, then the dense search's additions: two bundles for one query.
    cache.put(new ContextBundle("first", "anticipation", "alice", null, null,
        List.of(item("a", "Alice's dog is called Rex", 0.9), item("b", "Rex likes the beach", 0.4)), List.of("what is my dog's name"), 10, 0,
        0.8f, "user_message.direct", null, null, "partial"));
    cache.put(new ContextBundle("dense", "anticipation", "alice", null, null,
        List.of(item("c", "Her puppy was adopted in May", 0.7)), List.of("what is my dog's name"), 10, 0,
        0.8f, "user_message.direct", null, null, "none"));
    AnticipationCache.Hit hit = lookup("alice", "what is my dog's name");
    assertThat(hit.items()).extracting(ContextItem::id).containsExactly("a", "c", "b");
    assertThat(hit.bundleIds()).containsExactlyInAnyOrder("first", "dense");
  }

  @Test
  void aHigherMinimumCoverageSendsHalfCoveredQueriesToTheServer() {
    AnticipationCache strict = new AnticipationCache(3, Duration.ofSeconds(60), Duration.ofSeconds(120), 0.9, now::get);
    for (AnticipationCache c : List.of(cache, strict)) {
      c.put(bundle("b1", "alice", 0, "Alice's dog is called Rex", "Alice lives in Lyon", "Alice works as a nurse"));
    }
    // "dog" and "Lyon" are covered (about half the query's weight), "vaccination" (never seen, so the heaviest word) is not.
    List<String> query = List.of("dog Lyon vaccination");
    assertThat(cache.lookup(Set.of(AnticipationCache.Owner.user(null, "alice")), null, query, Set.of(), 10)).isPresent();
    assertThat(strict.lookup(Set.of(AnticipationCache.Owner.user(null, "alice")), null, query, Set.of(), 10)).isEmpty();
  }

  static ContextItem said(String id, String content, String createdAt) {
    return new ContextItem(id, "facts", content, 0.9, 0.5, null, null, null, createdAt, "lexical");
  }

  /** The next turn often needs what was just said, in other words: the newest memories keep slots of a ranked answer. */
  @Test
  void aRankedAnswerKeepsSlotsForTheNewestMemoriesAndSaysHowMuchOfTheQueryItCovers() {
    AnticipationCache withRecent = new AnticipationCache(10, Duration.ofSeconds(60), Duration.ofSeconds(120), 0.3, 1, now::get);
    AnticipationCache without = new AnticipationCache(10, Duration.ofSeconds(60), Duration.ofSeconds(120), 0.3, 0, now::get);
    for (AnticipationCache c : List.of(withRecent, without)) {
      c.put(new ContextBundle("old", "anticipation", "alice", null, null, List.of(said("rex", "Alice's dog is called Rex", "2024-01-01T10:00:00Z"),
          said("lyon", "Alice lives in Lyon", "2024-01-02T10:00:00Z"), said("nurse", "Alice works as a nurse", "2024-01-03T10:00:00Z")),
          List.of("alice"), 10, 0, 0.8f, "test", null, null, "none"));
      c.put(new ContextBundle("new", "anticipation", "alice", null, null, List.of(said("trip", "She just booked the trip to Oslo", "2024-02-01T10:00:00Z")),
          List.of("trip"), 10, 0, 0.8f, "test", null, null, "none"));
    }
    Set<AnticipationCache.Owner> alice = Set.of(AnticipationCache.Owner.user(null, "alice"));
    AnticipationCache.Hit hit = withRecent.lookup(alice, null, List.of("dog vaccination"), Set.of(), 2).orElseThrow();
    assertThat(hit.items()).extracting(ContextItem::id).containsExactly("rex", "trip");
    assertThat(hit.confidence()).as("'dog' is covered, 'vaccination' (never seen, the heavier word) is not").isBetween(0.3, 0.5);
    assertThat(without.lookup(alice, null, List.of("dog vaccination"), Set.of(), 2).orElseThrow().items()).extracting(ContextItem::id)
        .as("free slots are filled with the newest memories too").containsExactly("rex", "trip");
    assertThat(without.lookup(alice, null, List.of("dog Lyon"), Set.of(), 2).orElseThrow().items()).extracting(ContextItem::id)
        .containsExactlyInAnyOrder("rex", "lyon");
    assertThat(withRecent.lookup(alice, null, List.of("dog Lyon"), Set.of(), 2).orElseThrow().items()).extracting(ContextItem::id)
        .hasSize(2).contains("trip");
    assertThatThrownBy(() -> Synap.builder().apiKey("k").cacheRecentSlots(-1)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void theCoverageSettingIsValidated() {
    assertThatThrownBy(() -> Synap.builder().apiKey("k").cacheMinCoverage(1.5)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Synap.builder().apiKey("k").cacheMinCoverage(Double.NaN)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void bundlesAreServedOnlyWithinTheirScope() {
    cache.put(bundle("b1", "alice", 0, "Alice's dog is called Rex"));
    assertThat(lookup("alice", "what is my dog called")).isNotNull();
    assertThat(lookup("bob", "what is my dog called")).isNull();
    assertThat(cache.stats().hits()).isEqualTo(1);
    assertThat(cache.stats().misses()).isEqualTo(1);
  }

  @Test
  void slidingTtlExpiresIdleBundlesAndHitsKeepThemAliveUntilTheAbsoluteCap() {
    cache.put(bundle("b1", "alice", 0, "Alice's dog is called Rex"));
    now.addAndGet(Duration.ofSeconds(50).toNanos());
    assertThat(lookup("alice", "dog called Rex")).isNotNull(); // refreshes the sliding TTL
    now.addAndGet(Duration.ofSeconds(50).toNanos());
    assertThat(lookup("alice", "dog called Rex")).isNotNull(); // 100 s old, last hit 50 s ago
    now.addAndGet(Duration.ofSeconds(30).toNanos());
    assertThat(lookup("alice", "dog called Rex")).as("past the 120 s absolute cap").isNull();
    assertThat(cache.stats().stale()).isEqualTo(1);
    assertThat(cache.stats().size()).isZero();
  }

  @Test
  void aServerTtlHintShortensTheLifetime() {
    cache.put(bundle("b1", "alice", 5, "Alice's dog is called Rex"));
    now.addAndGet(Duration.ofSeconds(6).toNanos());
    assertThat(lookup("alice", "dog called Rex")).isNull();
  }

  @Test
  void capacityEvictsTheLeastRecentlyUsedAndClearUserDropsOnlyThatUser() {
    cache.put(bundle("b1", "alice", 0, "Alice's dog is called Rex"));
    cache.put(bundle("b2", "bob", 0, "Bob's cat is called Tom"));
    cache.put(bundle("b3", "carol", 0, "Carol's fish is called Nemo"));
    assertThat(lookup("alice", "dog Rex")).isNotNull(); // alice is now the most recent
    cache.put(bundle("b4", "dave", 0, "Dave's horse is called Star"));
    assertThat(cache.stats().evictions()).isEqualTo(1);
    assertThat(lookup("bob", "cat Tom")).as("bob was least recently used").isNull();
    assertThat(cache.clearUser("alice")).isEqualTo(1);
    assertThat(lookup("alice", "dog Rex")).isNull();
    assertThat(lookup("carol", "fish Nemo")).isNotNull();
    cache.clear();
    assertThat(cache.stats()).isEqualTo(new CacheStats(0, 0, 0, 0, 0, 0));
  }

  @Test
  void unrelatedQueriesMissAndTheThresholdGrowsWithQueryLength() {
    cache.put(bundle("b1", "alice", 0, "Alice's dog is called Rex", "Alice works as a nurse"));
    assertThat(lookup("alice", "quarterly tax filing deadline")).isNull();
    assertThat(lookup("alice", "nurse")).isNotNull();
  }

  @Test
  void aQueryWhoseImportantWordsTheCacheNeverSawGoesToTheServer() {
    AnticipationCache big = new AnticipationCache(10, Duration.ofSeconds(60), Duration.ofSeconds(120), now::get);
    big.put(bundle("b1", "alice", 0, "Alice's dog is called Rex", "Alice works as a nurse", "Alice lives in Leeds", "Alice likes jazz",
        "Alice has two brothers", "Alice drives a red car", "Alice plays tennis on Sundays", "Alice reads crime novels"));
    // One rare cached word ("Rex") used to be enough; the rest of the question is unknown to the cache.
    assertThat(big.lookup(Set.of(AnticipationCache.Owner.user(null, "alice")), null, List.of("book Rex a vaccination appointment at the clinic tomorrow"), Set.of(), 10)).isEmpty();
    assertThat(big.lookup(Set.of(AnticipationCache.Owner.user(null, "alice")), null, List.of("what is the name of her dog Rex"), Set.of(), 10)).isPresent();
  }
}
