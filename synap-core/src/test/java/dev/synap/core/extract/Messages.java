package dev.synap.core.extract;

import dev.synap.core.model.Message;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Builds test messages as the ingest pipeline would record them. */
final class Messages {
  private Messages() {}

  static Message said(String speaker, String text, String isoInstant) {
    return new Message(UUID.randomUUID().toString(), "inst", "conv", "user-1", null, null, "user", "message", text,
        Map.of("speaker", speaker, "participants", "Caroline,Melanie"), Instant.parse(isoInstant), Instant.parse(isoInstant));
  }
}
