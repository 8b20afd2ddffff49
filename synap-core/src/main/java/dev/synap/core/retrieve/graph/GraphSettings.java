package dev.synap.core.retrieve.graph;

/**
 * The graph walk's switches and constants (measured on the LoCoMo dev file's tuning conversations).
 *
 * @param relations follow stored relations from the entities a question names (ablation: {@code --without relations})
 * @param walk expand from the best hits through neighbouring turns, shared entities and the persons a question names
 *     (off by default; {@code bench locomo --with graph} switches it on)
 * @param fastSeeds hits a fast walk starts from ({@code accurateSeeds}: accurate); fast walks one hop, accurate two
 * @param turnDecay score share a neighbouring turn gets of the hit it neighbours, per hop
 * @param entityDecay the same for a memory naming one of the hit's entities and matching the question
 * @param relationDecay the share of the best hit's score the end of a relation path the question names gets
 * @param subjectDecay the share of the best hit's score the nearest memory about a person the question names gets
 * @param turnWindowMillis how far apart in time two turns of a conversation may be and still be neighbours
 * @param commonEntityShare an entity named by more than this share of the memories (a conversation's
 *     speakers) links everything and is not walked through
 */
public record GraphSettings(boolean relations, boolean walk, int fastSeeds, int accurateSeeds, double turnDecay, double entityDecay,
    double relationDecay, double subjectDecay, long turnWindowMillis, double commonEntityShare) {
  /**
   * Relations on; the turn, entity and subject walk off: on the LoCoMo dev file's tuning
   * conversations it moved recall@10 by -0.002 to +0.001 (temporal +0.01, open-domain -0.02 fast,
   * -0.07 accurate over 22 questions), so it is not worth its cost by default. Its decays are
   * kept for whoever switches it on ({@link #withWalk}).
   */
  public static final GraphSettings DEFAULT = new GraphSettings(true, false, 5, 10, 0.5, 0.5, 1.0, 0.5, 10 * 60_000, 0.05);
  public static final GraphSettings OFF = DEFAULT.withRelations(false).withWalk(false);

  public GraphSettings withRelations(boolean on) {
    return new GraphSettings(on, walk, fastSeeds, accurateSeeds, turnDecay, entityDecay, relationDecay, subjectDecay, turnWindowMillis, commonEntityShare);
  }

  public GraphSettings withWalk(boolean on) {
    return new GraphSettings(relations, on, fastSeeds, accurateSeeds, turnDecay, entityDecay, relationDecay, subjectDecay, turnWindowMillis, commonEntityShare);
  }

  /** The same with other per-edge decays (0 switches an edge off). */
  public GraphSettings withDecays(double turn, double entity, double relation, double subject) {
    return new GraphSettings(relations, walk, fastSeeds, accurateSeeds, turn, entity, relation, subject, turnWindowMillis, commonEntityShare);
  }

  public boolean off() {
    return !relations && !walk;
  }
}
