package dev.synap.bench.locomo;

import dev.synap.core.MemoryEngine.RetrievalConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@code --without ITEM}: the retrieval-depth items (#20) that an ablation switches off, each one
 * line mapping its name to the engine setting that turns it off. An item is listed here by the
 * change that adds it, so a name the bench accepts always changes what is measured.
 */
final class Without {
  private static final Map<String, UnaryOperator<RetrievalConfig>> ITEMS = new LinkedHashMap<>();

  static {
    ITEMS.put("ranker", c -> c.withRanking(c.ranking().withLearnedRanker(false)));
    ITEMS.put("questions", c -> c.withQuestions(c.questions().withPlans(false)));
    ITEMS.put("llm", c -> c.withQuestions(c.questions().withLlmRewrite(false)));
    ITEMS.put("strict-types", c -> c.withStrictTypes(false));
    ITEMS.put("relations", c -> c.withGraph(c.graph().withRelations(false)));
    ITEMS.put("graph", c -> c.withGraph(c.graph().withWalk(false)));
  }

  private Without() {}

  /** The names known here, for the option's help and its error line. */
  static List<String> names() {
    return List.copyOf(ITEMS.keySet());
  }

  /** The first name that is not an item, if any. */
  static Optional<String> unknown(List<String> items) {
    return items.stream().filter(i -> !ITEMS.containsKey(i)).findFirst();
  }

  /** {@code config} with each named item switched off. */
  static RetrievalConfig apply(RetrievalConfig config, List<String> items) {
    for (String i : items) config = ITEMS.get(i).apply(config);
    return config;
  }
}
