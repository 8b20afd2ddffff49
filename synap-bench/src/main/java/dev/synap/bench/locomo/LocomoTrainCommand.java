package dev.synap.bench.locomo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.synap.bench.locomo.LocomoData.Conversation;
import dev.synap.bench.locomo.LocomoData.Question;
import dev.synap.core.MemoryEngine;
import dev.synap.core.model.Scope;
import dev.synap.core.retrieve.ContextQuery;
import dev.synap.core.retrieve.HybridRetriever;
import dev.synap.core.retrieve.HybridRetriever.RankedCandidate;
import dev.synap.core.retrieve.rank.LearnedRanker;
import dev.synap.core.retrieve.rank.PairwiseTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code synap bench locomo-train --data locomo-dev.json --split tune --out .../ranker.json}: trains
 * the learned ranker on the fused heads of the split's questions (both modes), labelled by whether
 * a candidate came from an evidence turn, and writes the model the build ships.
 */
@Command(name = "locomo-train", mixinStandardHelpOptions = true,
    description = "Trains the learned ranker on LoCoMo questions (the tune split of the dev file) and writes ranker.json.")
public final class LocomoTrainCommand implements Callable<Integer> {
  @Option(names = "--data", paramLabel = "FILE", description = "LoCoMo JSON file.")
  Path data;

  @Option(names = "--out", paramLabel = "ranker.json", required = true, description = "Where to write the model.")
  Path out;

  @Option(names = "--split", defaultValue = "tune", paramLabel = "all|tune|holdout", description = "Conversations trained on (default tune).")
  String split;

  @Option(names = "--categories", split = ",", defaultValue = "1,2,4", paramLabel = "N",
      description = "LoCoMo categories trained on (default 1,2,4: open-domain and adversarial stay unseen, to check the model holds there).")
  List<Integer> categories;

  @Option(names = "--epochs", defaultValue = "400") int epochs;
  @Option(names = "--learning-rate", defaultValue = "2.0") double learningRate;
  @Option(names = "--l2", defaultValue = "0.001") double l2;

  @Override
  public Integer call() throws Exception {
    if (!LocomoData.given(data, "synap bench locomo-train")) return 2;
    Optional<Split> chosen = Split.parse(split);
    if (chosen.isEmpty()) {
      System.err.println("synap bench locomo-train: --split " + split + " is not a split; one of all, tune, holdout");
      return 2;
    }
    List<Conversation> conversations = LocomoData.read(data).stream().filter(c -> chosen.get().includes(c.sampleId())).toList();
    MemoryEngine.RetrievalConfig retrieval = MemoryEngine.RetrievalConfig.defaults();
    List<PairwiseTrainer.Group> groups = new ArrayList<>();
    int questions = 0;
    for (Conversation c : conversations) {
      System.err.printf("%s: %d questions%n", c.sampleId(), c.questions().size());
      try (Replay replay = Replay.of(c, retrieval, System.err)) {
        HybridRetriever retriever = (HybridRetriever) replay.engine.retriever();
        for (Question q : c.questions()) {
          if (q.evidence().isEmpty() || !categories.contains(q.category())) continue;
          questions++;
          for (String mode : LocomoBench.MODES) {
            List<RankedCandidate> head = retriever.candidates(new ContextQuery(replay.instanceId, Scope.USER, null, replay.owner, null,
                List.of(q.text()), Set.of(), EngineRanker.MAX_RESULTS, mode, 1_000_000));
            List<double[]> x = new ArrayList<>();
            List<Boolean> y = new ArrayList<>();
            for (RankedCandidate r : head) {
              x.add(r.features());
              y.add(!Collections.disjoint(replay.turns(r.memory()), q.evidence()));
            }
            groups.add(new PairwiseTrainer.Group(x, y));
          }
        }
      }
    }
    LearnedRanker model = new PairwiseTrainer(epochs, learningRate, l2).train(groups, HybridRetriever.HEAD);
    Map<String, Object> about = new LinkedHashMap<>();
    about.put("command", "synap bench locomo-train --data " + data.getFileName() + " --split " + chosen.get() + " --categories "
        + String.join(",", categories.stream().map(String::valueOf).toList()));
    about.put("conversations", conversations.stream().map(Conversation::sampleId).toList());
    about.put("questions", questions);
    about.put("heads", groups.size());
    about.put("epochs", epochs);
    about.put("learning_rate", learningRate);
    about.put("l2", l2);
    if (out.getParent() != null) Files.createDirectories(out.getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), model.json(about));
    System.err.printf("trained on %d questions (%d heads); wrote %s%n", questions, groups.size(), out);
    return 0;
  }
}
