package dev.synap.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.observability.api.event.AiServiceResponseReceivedEvent;
import dev.langchain4j.observability.api.listener.AiServiceListener;
import dev.synap.integration.SynapMemory;
import dev.synap.sdk.SynapException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each model reply with text on the Listen stream (register it with
 * {@code AiServices.builder(...).registerListener(...)}), so the server anticipates the next turn
 * from the answer too. Best effort: a failure is logged; the store still records the reply.
 */
public final class SynapReplyPublisher implements AiServiceListener<AiServiceResponseReceivedEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(SynapReplyPublisher.class);
  private final SynapMemory memory;

  SynapReplyPublisher(SynapMemory memory) {
    this.memory = memory;
  }

  @Override
  public Class<AiServiceResponseReceivedEvent> getEventClass() {
    return AiServiceResponseReceivedEvent.class;
  }

  @Override
  public void onEvent(AiServiceResponseReceivedEvent event) {
    AiMessage reply = event.response() == null ? null : event.response().aiMessage();
    if (reply == null || reply.text() == null || reply.text().isBlank() || reply.hasToolExecutionRequests()) return;
    try {
      memory.publish(memory.conversation(event.invocationContext().chatMemoryId()), "assistant", reply.text());
    } catch (SynapException e) {
      LOG.warn("synap langchain4j: publishing the reply failed: {}", e.toString());
    }
  }
}
