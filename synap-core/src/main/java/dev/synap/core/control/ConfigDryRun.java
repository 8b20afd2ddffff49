package dev.synap.core.control;

import dev.synap.core.extract.ExtractedMemory;
import dev.synap.core.extract.Extractor;
import dev.synap.core.model.Message;
import dev.synap.core.redact.NeverRemember;
import dev.synap.core.store.MessageStore;
import java.util.ArrayList;
import java.util.List;

/**
 * What a draft configuration would have extracted from an instance's last messages, beside what
 * the active one extracts: each message is redacted and extracted under both, with nothing stored.
 */
public final class ConfigDryRun {
  public static final int MAX_MESSAGES = 200;

  /** One message: its text as each configuration would store it, and what each would keep. */
  public record Row(String messageId, String activeText, String draftText, List<ExtractedMemory> active, List<ExtractedMemory> draft) {}

  private final MessageStore messages;
  private final Extractor extractor;

  public ConfigDryRun(MessageStore messages, Extractor extractor) {
    this.messages = messages;
    this.extractor = extractor;
  }

  public List<Row> run(String instanceId, MemoryConfig active, MemoryConfig draft, int lastN) {
    List<Message> recent = new ArrayList<>(messages.recent(instanceId, Math.max(1, Math.min(lastN, MAX_MESSAGES))));
    java.util.Collections.reverse(recent);
    List<Row> out = new ArrayList<>();
    for (Message m : recent) {
      Message a = redacted(m, active);
      Message d = redacted(m, draft);
      out.add(new Row(m.messageId(), a.content(), d.content(), kept(a, active), kept(d, draft)));
    }
    return out;
  }

  private static Message redacted(Message m, MemoryConfig c) {
    return new Message(m.messageId(), m.instanceId(), m.conversationId(), m.userId(), m.customerId(), m.sessionId(), m.role(), m.kind(),
        NeverRemember.redact(c.neverRemember(), m.content()), m.metadata(), m.occurredAt(), m.recordedAt());
  }

  private List<ExtractedMemory> kept(Message m, MemoryConfig c) {
    return extractor.extract(m).stream().filter(e -> c.extracts(e.type()) && e.confidence() >= c.confidenceThreshold()).toList();
  }
}
