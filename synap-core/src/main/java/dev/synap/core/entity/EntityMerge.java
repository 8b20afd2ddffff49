package dev.synap.core.entity;

import java.time.Instant;

/** One merge in an instance's entity history: {@code from} was absorbed into {@code into}. */
public record EntityMerge(String fromEntityId, String intoEntityId, String reason, Instant mergedAt) {}
