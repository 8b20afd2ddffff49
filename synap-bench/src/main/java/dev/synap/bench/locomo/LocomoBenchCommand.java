package dev.synap.bench.locomo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.synap.core.MemoryEngine;
import dev.synap.core.retrieve.HybridRetriever;
import dev.synap.core.retrieve.RankFusion;
import dev.synap.core.retrieve.graph.GraphSettings;
import dev.synap.core.retrieve.lucene.IndexText;
import dev.synap.core.retrieve.rank.LearnedRanker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code synap bench locomo --data locomo-dev.json --out locomo.json}. */
@Command(name = "locomo", mixinStandardHelpOptions = true,
    description = "Evidence recall of the memory engine on LoCoMo, against BM25 and dense baselines over raw turns.")
public final class LocomoBenchCommand implements Callable<Integer> {

  @Option(names = "--data", paramLabel = "FILE", description = "LoCoMo JSON file (data/locomo10.json from " + LocomoData.PUBLISHED_AT + ", or a subset of its samples).")
  Path data;

  @Option(names = "--out", paramLabel = "FILE.json", description = "Where to write the results as JSON.")
  Path out;

  @Option(names = "--conversations", paramLabel = "N", defaultValue = "0", description = "Only the first N conversations (0 = all).")
  int conversations;

  @Option(names = "--preceding-turns", paramLabel = "N", description = "Ablation: earlier turns indexed with each memory.")
  Integer precedingTurns;

  @Option(names = "--date-prefix", arity = "1", paramLabel = "BOOL", description = "Ablation: index the memory's day.")
  Boolean datePrefix;

  @Option(names = "--dense-text", paramLabel = "OWN|CONTEXT|BOTH", description = "Ablation: what is embedded.")
  IndexText.DenseText denseText;

  @Option(names = "--weights", split = ",", paramLabel = "LEX,DENSE,CONTEXT_DENSE", description = "Ablation: fusion weights.")
  List<Double> weights;

  @Option(names = "--fusion", paramLabel = "RRF|MIN_MAX", description = "Ablation: how rankings are fused.")
  RankFusion.Method fusion;

  @Option(names = "--mmr-lambda", description = "Ablation: MMR relevance weight in accurate mode (1 = off).")
  Double mmrLambda;

  @Option(names = "--feedback-weight", description = "Ablation: weight of the pseudo-relevance-feedback pass (0 = off).")
  Double feedbackWeight;

  @Option(names = "--depth", split = ",", paramLabel = "FAST,ACCURATE", description = "Ablation: candidates per signal.")
  List<Integer> depth;

  @Option(names = "--relative-floor", description = "Ablation: drop items below this share of the best score.")
  Double relativeFloor;

  @Option(names = "--without", split = ",", paramLabel = "ITEM", description = "Ablation: switch off retrieval-depth items (#20), of relations, graph, questions, ranker, llm, strict-types (each once its change is in).")
  List<String> without = List.of();

  @Option(names = "--split", paramLabel = "all|tune|holdout", defaultValue = "all",
      description = "Conversations measured: tune = conv-26, conv-30, conv-42 (constants are tuned there only); holdout = conv-41, conv-43, conv-44.")
  String split;

  @Option(names = "--with", split = ",", paramLabel = "ITEM", description = "Switch on what is off by default (graph: the turn and entity walk).")
  List<String> with = List.of();

  @Option(names = "--only", split = ",", paramLabel = "ID", description = "Only these conversations (sample ids), within the split.")
  List<String> only = List.of();

  @Option(names = "--ablate", split = ",", paramLabel = "ITEM",
      description = "Also measure, on the same extracted memories, each of these items switched off in turn (items acting at retrieval only).")
  List<String> ablate = List.of();

  @Option(names = "--with-ranker", description = "Also measure, on the same extracted memories, the learned ranker switched on (the --ranker-model model, else the shipped one).")
  boolean withRanker;

  @Option(names = "--ranker-model", paramLabel = "ranker.json", description = "Measure the learned ranker (off by default) with this model, e.g. the shipped synap-core/src/main/resources/dev/synap/core/retrieve/rank/ranker.json.")
  Path rankerModel;

  @Option(names = "--graph-decays", split = ",", paramLabel = "TURN,ENTITY,RELATION,SUBJECT",
      description = "Ablation: the graph walk's per-edge decays (0 switches an edge off).")
  List<Double> graphDecays;

  @Override
  public Integer call() throws Exception {
    if (!LocomoData.given(data, "synap bench locomo")) return 2;
    Optional<String> notOff = with.stream().filter(w -> !w.equals("graph")).findFirst();
    if (notOff.isPresent()) {
      System.err.println("synap bench locomo: --with " + notOff.get() + " is not an item that is off by default; only graph");
      return 2;
    }
    Optional<String> unknown = Without.unknown(without);
    if (unknown.isPresent()) {
      System.err.println("synap bench locomo: --without " + unknown.get() + " is not an item; one of " + String.join(", ", Without.names()));
      return 2;
    }
    unknown = Without.unknown(ablate).or(() -> ablate.stream().filter(Without::atIngest).findFirst());
    if (unknown.isPresent()) {
      System.err.println("synap bench locomo: --ablate " + unknown.get() + " is not an item acting at retrieval only (measure it with --without in a run of its own); "
          + "one of " + String.join(", ", Without.names().stream().filter(i -> !Without.atIngest(i)).toList()));
      return 2;
    }
    Optional<Split> chosen = Split.parse(split);
    if (chosen.isEmpty()) {
      System.err.println("synap bench locomo: --split " + split + " is not a split; one of all, tune, holdout");
      return 2;
    }
    Optional<LearnedRanker> model = Optional.empty();
    if (rankerModel != null) {
      model = LearnedRanker.load(Files.isRegularFile(rankerModel) ? Files.newInputStream(rankerModel) : null, rankerModel.toString());
      if (model.isEmpty()) return 2; // the WARN said why
    }
    MemoryEngine.RetrievalConfig config = retrieval();
    // A model to measure switches the ranker on (it is off by default); --without ranker still switches it off.
    if (model.isPresent() && !withRanker) config = config.withRanking(config.ranking().withLearnedRanker(true));
    LocomoBench.Report report = LocomoBench.run(data, chosen.get(), only, conversations, Without.apply(config, without), model, ablate, withRanker, System.err);
    System.out.println(report.table());
    if (out != null) {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report.json());
      System.err.println("wrote " + out);
    }
    return 0;
  }

  /** The engine defaults, with any ablation options applied. */
  private MemoryEngine.RetrievalConfig retrieval() {
    MemoryEngine.RetrievalConfig d = MemoryEngine.RetrievalConfig.defaults();
    IndexText t = d.indexText();
    IndexText text = new IndexText(precedingTurns != null ? precedingTurns : t.precedingTurns(), datePrefix != null ? datePrefix : t.datePrefix(),
        denseText != null ? denseText : t.dense());
    HybridRetriever.Settings r = d.ranking();
    boolean reweigh = weights != null && weights.size() == 3;
    boolean deepen = depth != null && depth.size() == 2;
    r = new HybridRetriever.Settings(fusion != null ? fusion : r.fusion(), deepen ? depth.get(0) : r.fastDepth(),
        deepen ? depth.get(1) : r.accurateDepth(), reweigh ? weights.get(0) : r.lexicalWeight(), reweigh ? weights.get(1) : r.denseWeight(),
        reweigh ? weights.get(2) : r.contextDenseWeight(), feedbackWeight != null ? feedbackWeight : r.feedbackWeight(),
        mmrLambda != null ? mmrLambda : r.mmrLambda(), r.recencyHalfLifeDays(), r.outOfRangeFactor(),
        relativeFloor != null ? relativeFloor : r.relativeFloor(), r.learnedRanker());
    GraphSettings g = d.graph().withWalk(d.graph().walk() || with.contains("graph"));
    if (graphDecays != null && graphDecays.size() == 4) {
      g = g.withDecays(graphDecays.get(0), graphDecays.get(1), graphDecays.get(2), graphDecays.get(3));
    }
    return new MemoryEngine.RetrievalConfig(text, r, d.embeddingCache()).withGraph(g);
  }
}
