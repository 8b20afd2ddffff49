package dev.synap.core.retrieve;

import dev.synap.core.model.Memory;

/**
 * One ranked memory. Scores lie in 0..1 (clients reject anything else).
 *
 * @param source which signal found it: {@code lexical}, {@code vector}, {@code graph}, {@code recent}
 */
public record ContextItem(Memory memory, double relevance, double similarity, String source, int tokens) {}
