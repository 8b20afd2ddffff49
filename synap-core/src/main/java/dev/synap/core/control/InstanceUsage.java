package dev.synap.core.control;

import java.time.Instant;

/** How much an instance is used: current memories, API calls in the last 24 hours, last key use (null: never). */
public record InstanceUsage(long memoryCount, long apiCalls24h, Instant lastActiveAt) {}
