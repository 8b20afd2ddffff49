package dev.synap.core.extract;

import dev.synap.core.model.MemoryType;
import java.util.Map;

/**
 * What an extractor found, before the engine gives it ids, scope and provenance.
 *
 * @param eventDate ISO date the memory refers to, when the text states or implies one
 * @param temporalCategory {@code perpetual}, {@code temporal_fact} or {@code episode}
 */
public record ExtractedMemory(
    MemoryType type,
    String content,
    double confidence,
    String category,
    Map<String, Object> attributes,
    String eventDate,
    String temporalCategory) {}
