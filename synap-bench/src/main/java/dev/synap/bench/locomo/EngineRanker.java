package dev.synap.bench.locomo;

import dev.synap.core.model.Memory;
import dev.synap.core.model.Scope;
import dev.synap.core.retrieve.ContextItem;
import dev.synap.core.retrieve.ContextQuery;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.core.retrieve.Retriever;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Our engine as the bench sees it: the real retriever, queried in the user scope of the
 * conversation's owner, with a budget large enough that only {@code maxResults} limits it (the
 * 2000-token recall is computed by the scorer from the formatted items).
 */
final class EngineRanker implements TurnRanker {
  static final int MAX_RESULTS = 60;

  private final Retriever retriever;
  private final String instanceId;
  private final String userId;
  private final String mode;
  private final Map<String, String> diaIdByMessage;
  private final Map<String, String> dayByMessage;

  EngineRanker(Retriever retriever, String instanceId, String userId, String mode, Map<String, String> diaIdByMessage,
      Map<String, String> dayByMessage) {
    this.retriever = retriever;
    this.instanceId = instanceId;
    this.userId = userId;
    this.mode = mode;
    this.diaIdByMessage = diaIdByMessage;
    this.dayByMessage = dayByMessage;
  }

  ContextResult fetch(String question) {
    return retriever.retrieve(new ContextQuery(instanceId, Scope.USER, null, userId, null, List.of(question), Set.of(),
        MAX_RESULTS, mode, 1_000_000));
  }

  @Override
  public List<RankedTurns> rank(String question) {
    return toTurns(fetch(question));
  }

  List<RankedTurns> toTurns(ContextResult result) {
    List<RankedTurns> out = new ArrayList<>(result.items().size());
    for (ContextItem item : result.items()) {
      Memory m = item.memory();
      List<String> turns = m.sourceMessageIds().stream().map(diaIdByMessage::get).filter(t -> t != null).toList();
      String day = m.sourceMessageIds().isEmpty() ? "" : dayByMessage.getOrDefault(m.sourceMessageIds().getFirst(), "");
      out.add(new RankedTurns(turns, "[" + day + "] " + m.content()));
    }
    return out;
  }
}
