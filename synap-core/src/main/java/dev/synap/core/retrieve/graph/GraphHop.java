package dev.synap.core.retrieve.graph;

/**
 * How a candidate was reached, for whoever ranks candidates after the walk (a learned ranker's
 * hop-distance and relation features).
 *
 * @param hops 0 for a direct (lexical or dense) hit, else the edges walked from one
 * @param viaRelation whether a stored relation was one of those edges
 * @param edge the last edge's kind: {@code seed}, {@code turn}, {@code entity} or {@code relation}
 */
public record GraphHop(int hops, boolean viaRelation, String edge) {
  public static final GraphHop SEED = new GraphHop(0, false, "seed");
}
