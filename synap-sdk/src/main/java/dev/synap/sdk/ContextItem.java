package dev.synap.sdk;

/**
 * One memory in a context answer.
 *
 * @param type {@code facts}, {@code preferences}, {@code episodes}, {@code emotions} or {@code temporal_events}
 * @param eventDate ISO date the memory refers to, or null
 * @param source how the server found it ({@code lexical}, {@code vector}, {@code recent}, {@code update}...), or null when not said
 */
public record ContextItem(
    String id, String type, String content, double confidence, double relevance, String eventDate, String validUntil,
    String temporalCategory, String createdAt, String source) {}
