package dev.synap.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import dev.synap.integration.SynapMemory;
import dev.synap.sdk.PromptContext;
import dev.synap.sdk.RecentTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ChatMemoryStore} whose system of record is the platform.
 *
 * <ul>
 *   <li>{@link #getMessages}: the conversation as the platform keeps it: the compacted summary as a
 *       {@link SystemMessage} (when there is one), then the turns after it. Fails soft (empty).
 *       Read from the platform once per conversation and process; after that the window LangChain4j
 *       last stored is served from memory, because it also holds what the platform does not keep
 *       (the agent's system prompt, tool calls in flight) and LangChain4j reads it at every step.
 *   <li>{@link #updateMessages}: LangChain4j passes the whole window each time (older turns evicted
 *       at the front, new ones appended). Only the turns after the longest overlap between the
 *       window last seen for the conversation (or, after a restart, what the platform returns) and
 *       the new one are recorded, so nothing is stored twice. User and assistant text only: system
 *       prompts are the agent's, not the conversation's, and tool calls without their requests
 *       could not be replayed. Writes throw the SDK's typed exceptions.
 *   <li>{@link #deleteMessages}: deletes the memories extracted from the conversation and forgets
 *       the window; the platform has no conversation deletion route yet, so its raw turns and
 *       compactions stay (see {@link SynapMemory#forgetConversation}).
 * </ul>
 */
public final class SynapChatMemoryStore implements ChatMemoryStore {
  /** A recordable turn: what is compared across windows and what is sent. */
  record Turn(String role, String content) {}

  private final SynapMemory memory;
  private final Map<String, List<ChatMessage>> windows = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  SynapChatMemoryStore(SynapMemory memory) {
    this.memory = memory;
  }

  @Override
  public List<ChatMessage> getMessages(Object memoryId) {
    String conversation = memory.conversation(memoryId);
    List<ChatMessage> window = windows.get(conversation);
    return window != null ? List.copyOf(window) : load(conversation);
  }

  /** The conversation as the platform keeps it; remembered as this process's window for it. */
  private List<ChatMessage> load(String conversation) {
    Optional<PromptContext> context = memory.conversationContext(conversation);
    List<ChatMessage> out = new ArrayList<>();
    context.ifPresent(c -> {
      if (c.available() && c.formattedContext() != null && !c.formattedContext().isBlank()) {
        out.add(SystemMessage.from("Summary of the earlier conversation:\n" + c.formattedContext()));
      }
      for (RecentTurn t : c.recentMessages()) {
        if ("user".equals(t.role())) out.add(UserMessage.from(t.content()));
        else if ("assistant".equals(t.role())) out.add(AiMessage.from(t.content()));
      }
    });
    if (context.isPresent()) windows.put(conversation, List.copyOf(out));
    return out;
  }

  @Override
  public void updateMessages(Object memoryId, List<ChatMessage> messages) {
    String conversation = memory.conversation(memoryId);
    synchronized (locks.computeIfAbsent(conversation, k -> new Object())) {
      List<ChatMessage> previous = windows.get(conversation);
      if (previous == null) previous = load(conversation);
      List<Turn> before = turns(previous);
      List<Turn> window = turns(messages);
      for (Turn t : window.subList(overlap(before, window), window.size())) memory.record(conversation, t.role(), t.content());
      windows.put(conversation, List.copyOf(messages));
    }
  }

  @Override
  public void deleteMessages(Object memoryId) {
    String conversation = memory.conversation(memoryId);
    synchronized (locks.computeIfAbsent(conversation, k -> new Object())) {
      memory.forgetConversation(conversation);
      windows.remove(conversation);
    }
  }

  /** The longest k such that the last k turns of {@code previous} are the first k of {@code window}. */
  static int overlap(List<Turn> previous, List<Turn> window) {
    for (int k = Math.min(previous.size(), window.size()); k > 0; k--) {
      if (previous.subList(previous.size() - k, previous.size()).equals(window.subList(0, k))) return k;
    }
    return 0;
  }

  static List<Turn> turns(List<ChatMessage> messages) {
    List<Turn> out = new ArrayList<>();
    for (ChatMessage m : messages) {
      if (m instanceof UserMessage u && u.hasSingleText()) out.add(new Turn("user", u.singleText()));
      else if (m instanceof AiMessage a && a.text() != null && !a.text().isBlank()) out.add(new Turn("assistant", a.text()));
    }
    return out;
  }
}
