package dev.synap.core.retrieve.graph;

import dev.synap.core.entity.Entity;
import dev.synap.core.relate.AskedRelations;
import dev.synap.core.relate.Relation;
import dev.synap.core.relate.RelationName;
import dev.synap.core.retrieve.lucene.Hit;
import dev.synap.core.retrieve.lucene.InstanceIndex;
import dev.synap.core.retrieve.lucene.StoredMemory;
import dev.synap.core.store.RelationStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.lucene.search.Query;

/**
 * Expands a ranking through the memory graph. Three kinds of edge, each taken from what the index
 * or the store already holds:
 *
 * <ul>
 *   <li><b>turn</b>: the memories said just before and after a hit in the same conversation (the
 *       question before an answer, the sentence after "guess what?"), by turn time;
 *   <li><b>entity</b>: memories naming an entity the hit names and matching the question's words;
 *       an entity most memories name (a conversation's speakers) is no edge at all;
 *   <li><b>relation</b>: from the entities the question names, the stored relations the question
 *       asks about ("Caroline's sister": the sister relation), to the memory stating the relation
 *       and to what the other end's memories say that matches the question.
 * </ul>
 *
 * <p>A memory reached from a hit scores the hit's relevance times the edge's decay, per hop; a
 * relation path starts from the question itself and its end scores as the best hit times the
 * relation share (see {@link #followRelations}); a memory
 * reached twice keeps its best score, and a direct hit is never lowered. Fast mode walks one hop
 * (turns, entities) from its first {@code fastSeeds} hits, accurate two from {@code accurateSeeds};
 * relation paths the question names are followed in both. Every search runs
 * within the query's scope filter, so the walk reaches nothing the query could not.
 */
public final class GraphWalk {
  /** A hit to start from. */
  public record Seed(int doc, double relevance) {}

  /** A memory the walk reached (or a seed, at hop 0). */
  public record Reached(int doc, double relevance, GraphHop hop) {}

  private static final int TURN_NEIGHBOURS = 3; // the hit itself and about one turn each side
  private static final int PER_ENTITY_SEED = 3;
  private static final int PER_RELATION_END = 5;
  private static final int RELATIONS_READ = 50;
  private static final int MAX_RELATIONS_IN_A_ROW = 3;
  private final GraphSettings settings;
  private final RelationStore relations;
  private final QuestionEntities questionEntities;

  /** @param entities an instance's active entities (the registry's cached list) */
  public GraphWalk(GraphSettings settings, RelationStore relations, Function<String, List<Entity>> entities) {
    this.settings = settings;
    this.relations = relations;
    this.questionEntities = new QuestionEntities(entities);
  }

  public GraphSettings settings() {
    return settings;
  }

  /**
   * Every memory the walk reached, seeds included (hop 0), by doc. {@code seeds} are best first;
   * {@code terms} are the question's analysed words.
   */
  public Map<Integer, Reached> walk(InstanceIndex.View view, Query filter, String instanceId, String question, List<String> terms,
      float[] queryVector, List<Seed> seeds, boolean accurate) {
    Map<Integer, Reached> reached = new LinkedHashMap<>();
    for (Seed s : seeds) reached.putIfAbsent(s.doc(), new Reached(s.doc(), s.relevance(), GraphHop.SEED));
    if (seeds.isEmpty() || settings.off()) return reached;
    double top = seeds.getFirst().relevance();
    int hops = accurate ? 2 : 1;
    List<Reached> frontier = new ArrayList<>();
    for (Seed s : seeds.subList(0, Math.min(seeds.size(), accurate ? settings.accurateSeeds() : settings.fastSeeds()))) {
      frontier.add(reached.get(s.doc()));
    }
    int common = Math.max(3, (int) (view.size() * settings.commonEntityShare()));
    for (int hop = 1; hop <= hops; hop++) {
      List<Reached> next = new ArrayList<>();
      if (settings.walk()) {
        for (Reached from : frontier) {
          StoredMemory m = view.stored(from.doc());
          if (m.conversationId() != null && m.at() >= 0) {
            for (Hit h : view.nearInConversation(m.conversationId(), m.at(), settings.turnWindowMillis(), filter, TURN_NEIGHBOURS)) {
              offer(reached, next, h.doc(), from.relevance() * settings.turnDecay(), from.hop(), "turn", false);
            }
          }
          Set<String> rare = new HashSet<>();
          for (String e : m.entityIds()) if (view.naming(e) <= common) rare.add(e);
          offerMatches(reached, next, view.lexicalNaming(terms, rare, filter, PER_ENTITY_SEED), from.relevance() * settings.entityDecay(),
              new GraphHop(from.hop().hops() + 1, from.hop().viaRelation(), "entity"));
        }
      }
      if (hop == 1 && settings.relations()) followRelations(view, filter, instanceId, question, terms, top, reached, next);
      if (hop == 1 && settings.walk() && settings.subjectDecay() > 0 && queryVector != null) aboutNamed(view, filter, instanceId, question, queryVector, top, accurate, reached, next);
      next.sort(Comparator.comparingDouble(Reached::relevance).reversed());
      frontier = next.subList(0, Math.min(next.size(), accurate ? settings.accurateSeeds() : settings.fastSeeds()));
    }
    return reached;
  }

  /**
   * From the entities the question names, along the relations it asks about, to each relation's
   * memory and to the other end's memories that match the question. A path the question spells out
   * ("Caroline's sister's job": sister, then works at) is followed to its end in either mode: it is
   * one relation read per relation asked, not a blind expansion.
   */
  private void followRelations(InstanceIndex.View view, Query filter, String instanceId, String question, List<String> terms, double top,
      Map<Integer, Reached> reached, List<Reached> next) {
    Set<RelationName> asked = AskedRelations.in(question);
    if (asked.isEmpty()) return;
    Set<String> from = questionEntities.in(instanceId, question);
    Set<String> seen = new HashSet<>(from);
    int steps = Math.min(asked.size(), MAX_RELATIONS_IN_A_ROW);
    for (int step = 1; step <= steps && !from.isEmpty(); step++) {
      Set<String> ends = new HashSet<>();
      GraphHop via = new GraphHop(step, true, "relation");
      // The path's end is what the question asks for: it scores as the best hit times the relation
      // share; each step before it one turn-share less (the sister's memory supports the job's).
      double score = top * settings.relationDecay() * Math.pow(settings.turnDecay(), steps - step);
      for (Relation r : relations.currentOf(instanceId, from, RELATIONS_READ)) {
        if (RelationName.parse(r.relation()).filter(asked::contains).isEmpty()) continue;
        String end = from.contains(r.subjectEntityId()) ? r.objectEntityId() : r.subjectEntityId();
        int doc = view.docOf(r.memoryId(), filter); // a relation counts only if the query may see the memory stating it
        if (doc < 0) continue;
        offer(reached, next, doc, score, via);
        if (seen.add(end)) ends.add(end);
      }
      offerMatches(reached, next, view.lexicalNaming(terms, ends, filter, PER_RELATION_END * Math.max(1, ends.size())), score, via);
      from = ends;
    }
  }

  /**
   * The question is a node too: from each person it names, to the memories about that person
   * (their subject) nearest the question. "Where has Melanie camped?" then reaches Melanie's
   * camping turns, not the other speaker's. Scores run from the entity share of the best hit (the
   * nearest) down to nothing (the farthest of those taken).
   */
  private void aboutNamed(InstanceIndex.View view, Query filter, String instanceId, String question, float[] queryVector, double top,
      boolean accurate, Map<Integer, Reached> reached, List<Reached> next) {
    GraphHop hop = new GraphHop(1, false, "subject");
    int n = accurate ? settings.accurateSeeds() * 2 : settings.fastSeeds() * 2;
    for (String entity : questionEntities.in(instanceId, question)) {
      List<Hit> hits = view.denseAbout(queryVector, entity, filter, n);
      if (hits.size() < 2) continue;
      double best = hits.getFirst().score(), worst = hits.getLast().score();
      for (Hit h : hits) offer(reached, next, h.doc(), top * settings.subjectDecay() * (h.score() - worst) / Math.max(1e-9, best - worst), hop);
    }
  }

  /** Offers lexical matches, each scaled by its BM25 score against the best of them. */
  private static void offerMatches(Map<Integer, Reached> reached, List<Reached> next, List<Hit> hits, double score, GraphHop hop) {
    if (hits.isEmpty()) return;
    double best = Math.max(1e-9, hits.getFirst().score());
    for (Hit h : hits) offer(reached, next, h.doc(), score * h.score() / best, hop);
  }

  private static void offer(Map<Integer, Reached> reached, List<Reached> next, int doc, double score, GraphHop from, String edge, boolean relation) {
    offer(reached, next, doc, score, new GraphHop(from.hops() + 1, from.viaRelation() || relation, edge));
  }

  /** Keeps the better score of a memory reached again; a direct hit keeps hop 0 whatever raised it. */
  private static void offer(Map<Integer, Reached> reached, List<Reached> next, int doc, double score, GraphHop hop) {
    Reached had = reached.get(doc);
    if (score <= 0 || (had != null && had.relevance() >= score)) return;
    Reached r = new Reached(doc, score, had != null && had.hop().hops() == 0 ? had.hop() : hop);
    reached.put(doc, r);
    next.add(r);
  }
}
