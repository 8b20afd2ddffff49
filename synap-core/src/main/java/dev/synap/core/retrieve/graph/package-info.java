/**
 * Retrieval as a small graph walk: from the best fused hits, expand through the neighbouring turns
 * of the same conversation, the entities the hits name and the relations the question names, with
 * scores that decay per hop ({@link dev.synap.core.retrieve.graph.GraphWalk} says how).
 */
package dev.synap.core.retrieve.graph;
