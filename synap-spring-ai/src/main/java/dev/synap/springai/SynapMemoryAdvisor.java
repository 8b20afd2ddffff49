package dev.synap.springai;

import dev.synap.integration.Recall;
import dev.synap.integration.SynapMemory;
import dev.synap.sdk.SynapException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.Advisor;
import org.springframework.ai.chat.client.advisor.api.AdvisorChain;
import org.springframework.ai.chat.client.advisor.api.BaseAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;

/**
 * A {@code ChatClient} advisor in the style of Spring AI's {@code VectorStoreChatMemoryAdvisor}.
 * Before the call: publishes the user's message on the Listen stream (when the client listens) and
 * waits briefly for the server's push, records the user turn (durable; typed exceptions), fetches
 * what memory knows about the message (served by the anticipation cache when it can; fails soft)
 * and adds it to the system message within the token budget. After the call: publishes and records
 * the reply. Both paths of a turn share one key, so each turn is stored once.
 *
 * <p>Per call: {@code ChatMemory.CONVERSATION_ID} names the conversation (any id, mapped to a
 * stable UUID), {@link #USER_ID} / {@link #CUSTOMER_ID} the owner. The request context gets
 * {@link #CONTEXT_SOURCE} ({@code anticipation_cache}, {@code cloud} or {@code unavailable}).
 */
public final class SynapMemoryAdvisor implements BaseAdvisor {
  private static final Logger LOG = LoggerFactory.getLogger(SynapMemoryAdvisor.class);
  public static final String USER_ID = "synap_user_id";
  public static final String CUSTOMER_ID = "synap_customer_id";
  public static final String CONTEXT_SOURCE = "synap_context_source";
  private static final String MEMORY = "synap_memory";
  private static final String CONVERSATION = "synap_conversation";

  private final SynapSpringAi owner;
  private final int tokenBudget;
  private final boolean recordTurns;

  SynapMemoryAdvisor(SynapSpringAi owner, int tokenBudget, boolean recordTurns) {
    this.owner = owner;
    this.tokenBudget = tokenBudget;
    this.recordTurns = recordTurns;
  }

  @Override
  public ChatClientRequest before(ChatClientRequest request, AdvisorChain chain) {
    Map<String, Object> ctx = request.context();
    SynapMemory memory = ctx.containsKey(USER_ID) || ctx.containsKey(CUSTOMER_ID)
        ? owner.memoryFor((String) ctx.get(USER_ID), (String) ctx.get(CUSTOMER_ID)) : owner.memory();
    String conversation = memory.conversation(ctx.get(ChatMemory.CONVERSATION_ID));
    UserMessage user = request.prompt().getUserMessage();
    String text = user == null ? null : user.getText();
    if (text == null || text.isBlank()) return request;

    long before = memory.cacheStats().bundlesStored();
    try {
      if (memory.publish(conversation, "user", text)) memory.awaitPush(before);
    } catch (SynapException e) {
      LOG.warn("synap spring-ai: publishing the user message failed, fetching without anticipation: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (recordTurns) memory.record(conversation, "user", text);
    Recall recall = memory.recall(text, 20, tokenBudget);
    String remembered = recall.formattedWithin(tokenBudget);
    var prompt = remembered.isEmpty() ? request.prompt()
        : request.prompt().augmentSystemMessage(system -> new SystemMessage(join(system.getText(),
            "What you remember about the user (long-term memory; use it when relevant):\n" + remembered)));
    return request.mutate().prompt(prompt).context(MEMORY, memory).context(CONVERSATION, conversation)
        .context(CONTEXT_SOURCE, recall.source()).build();
  }

  @Override
  public ChatClientResponse after(ChatClientResponse response, AdvisorChain chain) {
    if (!(response.context().get(MEMORY) instanceof SynapMemory memory) || response.chatResponse() == null
        || response.chatResponse().getResult() == null) {
      return response;
    }
    String conversation = (String) response.context().get(CONVERSATION);
    AssistantMessage reply = response.chatResponse().getResult().getOutput();
    if (reply == null || reply.hasToolCalls() || reply.getText() == null || reply.getText().isBlank()) return response;
    try {
      memory.publish(conversation, "assistant", reply.getText());
    } catch (SynapException e) {
      LOG.warn("synap spring-ai: publishing the reply failed: {}", e.toString());
    }
    if (recordTurns) memory.record(conversation, "assistant", reply.getText());
    return response;
  }

  @Override
  public int getOrder() {
    return Advisor.DEFAULT_CHAT_MEMORY_PRECEDENCE_ORDER;
  }

  @Override
  public String getName() {
    return "SynapMemoryAdvisor";
  }

  private static String join(String system, String memory) {
    return system == null || system.isBlank() ? memory : system + "\n\n" + memory;
  }
}
