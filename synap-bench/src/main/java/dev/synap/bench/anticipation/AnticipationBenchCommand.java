package dev.synap.bench.anticipation;

import dev.synap.bench.Percentiles;
import dev.synap.bench.locomo.LocomoData;
import dev.synap.core.anticipate.Predictor;
import dev.synap.core.model.Memory;
import dev.synap.core.model.Message;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.sdk.ContextBundle;
import dev.synap.sdk.ContextItem;
import dev.synap.sdk.ContextResponse;
import dev.synap.sdk.FetchRequest;
import dev.synap.sdk.ListenCallbacks;
import dev.synap.sdk.SendMessage;
import dev.synap.sdk.Synap;
import dev.synap.server.SynapServer;
import dev.synap.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code synap bench anticipation}: replays LoCoMo conversations turn by turn through the real SDK
 * and server and measures how often the next turn's fetch is answered from the anticipation cache,
 * and how often that answer holds a turn the next turn actually needs.
 *
 * <p>Per turn t: send t as an event (speaker A as {@code user_message}, speaker B as
 * {@code assistant_message}, the session's date as its time), wait briefly for the bundles it
 * causes (the planner's first pass and the dense search's additions), then fetch the user's context with the text of turn t+1 as the query. A hit is a fetch
 * answered from the cache. Turn t+1 <em>needs</em> an earlier turn e when some question's evidence
 * contains both t+1 and e; a useful hit is a cache answer with an item that came from a needed
 * turn. The same replay runs with the planner, with no anticipation, and with a naive predictor
 * that pushes the user's ten newest memories, each on its own instance of one server.
 *
 * <p>Besides the hit rates: {@code useful_answer_rate} counts answers holding a needed turn
 * whether they came from the cache or the server; for {@code none} every fetch goes to the
 * server, so that figure (also reported as {@code oracle_useful_rate}) is what an uncached fetch
 * with the next turn's own text reaches. {@code needed_pushed_rate} is the share of turns needing
 * context for which a needed turn's memory had been pushed before the fetch (a ceiling for the
 * cache's contents, before eviction and ranking). The cache answers only when its items cover
 * enough of the query ({@code AnticipationCache}), so a hit rate below 1 is expected: the rest
 * are misses answered by the server, which is correct behaviour.
 *
 * <p>Before any measured replay, the first sessions of the file's last conversation are replayed
 * unmeasured on an instance of their own ({@code --warmup-sessions}), so that no predictor pays for
 * the JIT and the first model runs.
 */
@Command(name = "anticipation", mixinStandardHelpOptions = true, description = "Anticipation hit rates and latencies on LoCoMo replays.")
public final class AnticipationBenchCommand implements Callable<Integer> {
  @Option(names = "--data", paramLabel = "FILE", description = "LoCoMo JSON file (data/locomo10.json from " + LocomoData.PUBLISHED_AT + ", or a subset of its samples).")
  Path data;

  @Option(names = "--conversations", defaultValue = "2", description = "How many conversations to replay (default ${DEFAULT-VALUE}; 0 = all).")
  int conversations;

  @Option(names = "--wait-ms", defaultValue = "250", description = "Longest wait for the bundle an event causes (default ${DEFAULT-VALUE}).")
  int waitMs;

  @Option(names = "--warmup-sessions", defaultValue = "3",
      description = "Sessions of the file's last conversation replayed unmeasured first, to warm the JIT and the model (default ${DEFAULT-VALUE}).")
  int warmupSessions;

  @Option(names = "--cache-min-coverage", description = "The SDK cache's acceptance threshold (default: the SDK's, 0.3).")
  Double cacheMinCoverage;

  @Option(names = "--out", description = "Write the results as JSON to this file.")
  Path out;

  @Option(names = "--modes", split = ",", defaultValue = "planner,none,last_k",
      description = "Predictors to run (default ${DEFAULT-VALUE}); the summary compares planner with last_k when both ran.")
  List<String> modes;

  /** Everything measured for one predictor. */
  static final class Run {
    final String mode;
    int turns;
    int fetches;
    int hits;
    int needing;
    int usefulHits;
    int usefulAnswers;
    int neededPushed;
    long tokensPushed;
    final Set<String> itemsPushed = new HashSet<>();
    final Set<String> itemsServed = new HashSet<>();
    /** Item id → index (within its conversation) of the turn whose event was being replayed when it was first pushed. */
    final Map<String, Integer> firstPushed = new HashMap<>();
    int turnIndex;
    final Percentiles push = new Percentiles();
    final Percentiles pushComplete = new Percentiles();
    final Percentiles probe = new Percentiles();
    final Percentiles probeUnderIngest = new Percentiles();
    final Percentiles cached = new Percentiles();
    final Percentiles uncached = new Percentiles();

    Run(String mode) {
      this.mode = mode;
    }

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("turns", turns);
      m.put("turns_needing_context", needing);
      m.put("hit_rate", ratio(hits, fetches));
      m.put("useful_hit_rate", ratio(usefulHits, needing));
      // Any answer, cached or not, holding a needed turn: for "none" (every fetch goes to the
      // server) this is the ceiling an uncached fetch with the next turn's text reaches.
      m.put("useful_answer_rate", ratio(usefulAnswers, needing));
      // A needed turn's memory had been pushed to the stream before the fetch: the most a cache
      // answer could hold, whatever its ranking.
      m.put("needed_pushed_rate", ratio(neededPushed, needing));
      m.put("tokens_pushed_per_turn", Percentiles.round(turns == 0 ? 0 : (double) tokensPushed / turns));
      m.put("pushed_items_used_share", ratio(itemsServed.size(), itemsPushed.size()));
      // send_message to the first bundle it caused (for the planner: its lexical first pass), and to
      // the last one (the dense search's additions, or a bundle that was complete at once), over
      // the turns that pushed anything new.
      m.put("push_ms", push.summary());
      m.put("push_complete_ms", pushComplete.summary());
      // Full retrieval with the query embedding on the way, timed with reactive probes
      // (context_request: one complete bundle) for a text the server has not seen, on a server that
      // has caught up with the turn and on one still ingesting it. Modes after the first replay the
      // same texts and find their query embeddings cached.
      m.put("reactive_ms", probe.summary());
      m.put("reactive_under_ingest_ms", probeUnderIngest.summary());
      m.put("cached_fetch_ms", cached.summary());
      m.put("uncached_fetch_ms", uncached.summary());
      return m;
    }
  }

  @Override
  public Integer call() throws Exception {
    if (!LocomoData.given(data, "synap bench anticipation")) return 2;
    List<LocomoData.Conversation> all = LocomoData.read(data);
    List<LocomoData.Conversation> chosen = conversations <= 0 ? all : all.subList(0, Math.min(conversations, all.size()));
    Path dir = Files.createTempDirectory("synap-bench-anticipation");
    Map<String, Run> runs = new LinkedHashMap<>();
    try (SynapServer server = SynapServer.start(ServerConfig.forTests(dir))) {
      warmUp(server, all.getLast());
      for (String name : modes) {
        String mode = name.strip().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        String key = server.engine().tenancy().createKey(
            server.engine().tenancy().createInstance("bench-" + mode, RelationshipMode.B2C).instanceId(), "bench").secret();
        server.predictor(predictor(server, mode));
        Run run = new Run(mode);
        runs.put(run.mode, run);
        for (LocomoData.Conversation c : chosen) replay(server, key, c, run);
      }
    }
    Run first = runs.getOrDefault("planner", runs.values().iterator().next());
    Map<String, Object> result = new LinkedHashMap<>(first.json());
    result.put("conversations", chosen.size());
    if (cacheMinCoverage != null) result.put("cache_min_coverage", cacheMinCoverage);
    if (runs.containsKey("none")) result.put("oracle_useful_rate", runs.get("none").json().get("useful_answer_rate"));
    Map<String, Object> baselines = new LinkedHashMap<>();
    runs.forEach((k, r) -> {
      if (r != first) baselines.put(k, r.json());
    });
    result.put("baselines", baselines);
    print(runs);
    dev.synap.bench.BenchFiles.writeJson(out, result);
    return 0;
  }

  /**
   * Replays the first sessions of a conversation on a throwaway instance, unmeasured: otherwise
   * the first predictor measured pays for JIT compilation and the first model runs (its push p50
   * was three times the others' in the same run) and the comparison says nothing.
   */
  private void warmUp(SynapServer server, LocomoData.Conversation c) throws Exception {
    if (warmupSessions <= 0) return;
    List<LocomoData.Session> sessions = c.sessions().subList(0, Math.min(warmupSessions, c.sessions().size()));
    LocomoData.Conversation head = new LocomoData.Conversation("warmup-" + c.sampleId(), c.speakerA(), c.speakerB(), sessions, c.questions());
    String key = server.engine().tenancy().createKey(
        server.engine().tenancy().createInstance("bench-warmup", RelationshipMode.B2C).instanceId(), "bench").secret();
    server.predictor(server.planner());
    replay(server, key, head, new Run("warmup"));
  }

  /** The product's planner, no anticipation, or the naive baseline that pushes the user's ten newest memories. */
  static Predictor predictor(SynapServer server, String mode) {
    return switch (mode) {
      case "planner" -> server.planner();
      case "none" -> Predictor.NONE;
      case "last_k" -> new LastKPredictor(server.engine().store().memories(), LAST_K);
      default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new AnticipationBenchCommand()),
          "unknown predictor '" + mode + "' (planner, none, last_k)");
    };
  }

  static final int LAST_K = 10;

  private void replay(SynapServer server, String key, LocomoData.Conversation c, Run run) throws Exception {
    BlockingQueue<ContextBundle> bundles = new LinkedBlockingQueue<>();
    String user = c.sampleId();
    String conv = UUID.nameUUIDFromBytes((run.mode + c.sampleId()).getBytes(StandardCharsets.UTF_8)).toString();
    List<LocomoData.Turn> turns = new ArrayList<>();
    List<java.time.Instant> times = new ArrayList<>();
    for (LocomoData.Session s : c.sessions()) {
      for (LocomoData.Turn t : s.turns()) {
        turns.add(t);
        times.add(s.at().toInstant(ZoneOffset.UTC).plusSeconds(turns.size()));
      }
    }
    Map<String, Set<String>> needs = needs(c, turns);
    List<List<String>> answers = new ArrayList<>(); // per fetch: item ids, to resolve to turns at the end
    List<String> fetchTurn = new ArrayList<>();
    List<Boolean> cachedAnswer = new ArrayList<>();
    List<Integer> fetchIndex = new ArrayList<>();
    Synap.Builder client = Synap.builder().apiKey(key).baseUrl("http://127.0.0.1:" + server.httpPort()).grpcPort(server.grpcPort())
        .requestTimeout(Duration.ofSeconds(60));
    if (cacheMinCoverage != null) client.cacheMinCoverage(cacheMinCoverage);
    try (Synap synap = client.build()) {
      synap.instance().listen(ListenCallbacks.onContext(b -> {
        bundles.add(b);
      }));
      for (int i = 0; i < turns.size(); i++) {
        LocomoData.Turn t = turns.get(i);
        run.turnIndex = i;
        boolean user1 = t.speaker().equals(c.speakerA());
        long sent = System.nanoTime();
        synap.instance().sendMessage(SendMessage.builder(t.textWithCaption()).userId(user).conversationId(conv)
            .eventType(user1 ? "user_message" : "assistant_message").role(user1 ? "user" : "assistant")
            .metadata("dia_id", t.diaId()).metadata("speaker", t.speaker()).timestamp(times.get(i)).build());
        awaitPushes(run, bundles, sent);
        run.turns++;
        if (i % PROBE_EVERY == 0 && i + 1 < turns.size()) {
          // Alternately: once the server has processed this turn (a person takes seconds to type
          // the next one), and at once, while this turn is still being extracted and embedded.
          boolean caughtUp = (i / PROBE_EVERY) % 2 == 0;
          if (caughtUp) server.engine().awaitIdle(Duration.ofSeconds(30));
          probe(synap, bundles, caughtUp ? run.probe : run.probeUnderIngest, run, user, conv, turns.get(i + 1).text());
        }
        if (i + 1 < turns.size()) {
          LocomoData.Turn next = turns.get(i + 1);
          long f0 = System.nanoTime();
          ContextResponse r = synap.user().context().fetch(FetchRequest.forUser(user).query(next.text()).maxResults(10).build());
          double ms = (System.nanoTime() - f0) / 1e6;
          run.fetches++;
          List<String> ids = r.all().stream().map(ContextItem::id).toList();
          answers.add(ids);
          fetchTurn.add(next.diaId());
          cachedAnswer.add(r.fromCache());
          fetchIndex.add(i);
          if (r.fromCache()) {
            run.hits++;
            run.cached.add(ms);
            run.itemsServed.addAll(ids);
          } else {
            run.uncached.add(ms);
          }
          if (needs.containsKey(next.diaId())) run.needing++;
        }
        if (i % 20 == 0) System.err.printf("\r%-9s %-8s turn %4d/%d  hits %d", run.mode, c.sampleId(), i + 1, turns.size(), run.hits);
      }
      run.turnIndex = turns.size();
      for (ContextBundle b; (b = bundles.poll()) != null; ) account(run, b);
      synap.instance().stopListening();
    }
    server.engine().awaitIdle(Duration.ofSeconds(120));
    Map<String, String> diaOfMemory = diaIds(server, key, user);
    for (int k = 0; k < answers.size(); k++) {
      Set<String> needed = needs.get(fetchTurn.get(k));
      if (needed == null) continue;
      for (String id : answers.get(k)) {
        String dia = diaOfMemory.get(id);
        if (dia != null && needed.contains(dia)) {
          if (cachedAnswer.get(k)) run.usefulHits++;
          run.usefulAnswers++;
          break;
        }
      }
      int at = fetchIndex.get(k);
      for (var e : run.firstPushed.entrySet()) {
        String dia = diaOfMemory.get(e.getKey());
        if (e.getValue() <= at && dia != null && needed.contains(dia)) {
          run.neededPushed++;
          break;
        }
      }
    }
    System.err.println();
  }

  static final int PROBE_EVERY = 10;

  /**
   * Waits for the bundles the event just sent causes (not updates for new memories, not compaction
   * updates): the first one (push latency), and, when that was a first pass, the dense search's
   * additions (which the server leaves out when there are none: then the wait ends at --wait-ms).
   * The next turn's fetch comes after them, as it would seconds later in a real conversation.
   */
  private void awaitPushes(Run run, BlockingQueue<ContextBundle> bundles, long sent) throws InterruptedException {
    long deadline = sent + TimeUnit.MILLISECONDS.toNanos(waitMs);
    boolean first = true;
    while (System.nanoTime() < deadline) {
      ContextBundle b = bundles.poll(2, TimeUnit.MILLISECONDS);
      if (b == null) continue;
      account(run, b);
      if ("memory_write.update".equals(b.originPatternId()) || "compaction_update".equals(b.bundleType())) continue;
      double ms = (System.nanoTime() - sent) / 1e6;
      if (first) run.push.add(ms);
      first = false;
      if (!b.partial()) {
        run.pushComplete.add(ms);
        return;
      }
    }
  }

  /** Times a reactive bundle for the next turn's text: send to bundle received. Not cached, not counted as pushed. */
  private static void probe(Synap synap, BlockingQueue<ContextBundle> bundles, Percentiles into, Run run, String user, String conv, String text)
      throws InterruptedException {
    long sent = System.nanoTime();
    synap.instance().sendMessage(SendMessage.builder("").eventType("context_request").searchQuery(text).userId(user).conversationId(conv).build());
    long deadline = sent + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() < deadline) {
      ContextBundle b = bundles.poll(2, TimeUnit.MILLISECONDS);
      if (b == null) continue;
      if ("reactive".equals(b.bundleType())) {
        into.add((System.nanoTime() - sent) / 1e6);
        return;
      }
      account(run, b);
    }
  }

  private static void account(Run run, ContextBundle b) {
    run.tokensPushed += b.totalTokens();
    for (ContextItem i : b.items()) {
      run.itemsPushed.add(i.id());
      run.firstPushed.putIfAbsent(i.id(), run.turnIndex);
    }
  }

  /** Turn → earlier turns it needs, from every question whose evidence holds both. */
  static Map<String, Set<String>> needs(LocomoData.Conversation c, List<LocomoData.Turn> turns) {
    Map<String, Integer> order = new HashMap<>();
    for (int i = 0; i < turns.size(); i++) order.put(turns.get(i).diaId(), i);
    Map<String, Set<String>> needs = new HashMap<>();
    for (LocomoData.Question q : c.questions()) {
      for (String t : q.evidence()) {
        for (String e : q.evidence()) {
          if (order.containsKey(t) && order.containsKey(e) && order.get(e) < order.get(t)) needs.computeIfAbsent(t, k -> new HashSet<>()).add(e);
        }
      }
    }
    return needs;
  }

  /** Memory id → the dia_id of the turn it came from, read from the store after the replay. */
  private static Map<String, String> diaIds(SynapServer server, String key, String user) {
    var engine = server.engine();
    String instance = engine.tenancy().instances().stream()
        .filter(i -> engine.tenancy().keys(i.instanceId()).stream().anyMatch(k -> key.startsWith(k.prefix()))).findFirst().orElseThrow().instanceId();
    Map<String, String> diaOfMessage = new HashMap<>();
    for (Message m : engine.store().messages().byUser(instance, user, 1_000_000)) {
      String dia = m.metadata().get("dia_id");
      if (dia != null) diaOfMessage.put(m.messageId(), dia);
    }
    Map<String, String> out = new HashMap<>();
    var filter = new dev.synap.core.store.MemoryFilter(instance, null, null, user, null, Set.of(), true);
    for (Memory m : engine.store().memories().list(filter, 1_000_000, 0)) {
      for (String source : m.sourceMessageIds()) {
        String dia = diaOfMessage.get(source);
        if (dia != null) {
          out.put(m.memoryId(), dia);
          break;
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object p(Map<String, Object> json, String key, String percentile) {
    return ((Map<String, Object>) json.get(key)).get(percentile);
  }

  private static void print(Map<String, Run> runs) {
    System.out.printf("%n%-9s %8s %11s %10s %10s %12s %10s %9s %9s %13s %13s %11s %9s%n", "predictor", "hit rate", "useful hit", "useful ans",
        "needed in", "tokens/turn", "used share", "push p50", "push p99", "complete p50", "reactive p50", "cached p50", "miss p50");
    for (Run r : runs.values()) {
      Map<String, Object> j = r.json();
      System.out.printf("%-9s %8.3f %11.3f %10.3f %10.3f %12.1f %10.3f %9s %9s %13s %13s %11s %9s%n", r.mode, j.get("hit_rate"), j.get("useful_hit_rate"),
          j.get("useful_answer_rate"), j.get("needed_pushed_rate"), j.get("tokens_pushed_per_turn"), j.get("pushed_items_used_share"),
          p(j, "push_ms", "p50"), p(j, "push_ms", "p99"), p(j, "push_complete_ms", "p50"), p(j, "reactive_ms", "p50"), p(j, "cached_fetch_ms", "p50"),
          p(j, "uncached_fetch_ms", "p50"));
    }
    Run planner = runs.get("planner");
    Run lastK = runs.get("last_k");
    if (planner == null || lastK == null) return;
    double cached = planner.cached.percentile(50);
    double uncached = planner.uncached.percentile(50);
    System.out.printf("useful hits: planner %.3f vs last_k %.3f; cached fetch p50 %.3f ms = %.0fx faster than uncached p50 %.3f ms%n",
        ratio(planner.usefulHits, planner.needing), ratio(lastK.usefulHits, lastK.needing), cached, uncached / cached, uncached);
  }

  static double ratio(long a, long b) {
    return b == 0 ? 0 : Percentiles.round((double) a / b);
  }
}
