package dev.synap.core.extract;

import dev.synap.core.model.Message;
import java.util.List;

/**
 * Turns one recorded message into typed memories. Implementations must be deterministic for the
 * same input (the ingest queue may re-run a message after a crash) and must not throw for odd
 * text: return an empty list instead.
 */
public interface Extractor {
  List<ExtractedMemory> extract(Message message);
}
