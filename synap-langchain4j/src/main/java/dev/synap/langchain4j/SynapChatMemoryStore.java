package dev.synap.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import dev.synap.integration.ConversationWindows;
import dev.synap.integration.ConversationWindows.Turn;
import dev.synap.integration.SynapMemory;
import dev.synap.sdk.PromptContext;
import dev.synap.sdk.RecentTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link ChatMemoryStore} whose system of record is the platform ({@link ConversationWindows}
 * says how windows are read and written):
 *
 * <ul>
 *   <li>{@link #getMessages}: the compacted summary as a {@link SystemMessage} (when there is one),
 *       then the turns after it; then the window LangChain4j last stored. Fails soft (empty).
 *   <li>{@link #updateMessages}: records only the new user and assistant turns of the window,
 *       however often LangChain4j passes it whole. Writes throw the SDK's typed exceptions.
 *   <li>{@link #deleteMessages}: deletes the conversation on the platform (its turns, the memories
 *       extracted from it, its compactions) and the window.
 * </ul>
 */
public final class SynapChatMemoryStore implements ChatMemoryStore {
  private final SynapMemory memory;
  private final ConversationWindows<ChatMessage> windows;

  SynapChatMemoryStore(SynapMemory memory) {
    this.memory = memory;
    this.windows = new ConversationWindows<>(memory, SynapChatMemoryStore::turn, SynapChatMemoryStore::fromPlatform);
  }

  @Override
  public List<ChatMessage> getMessages(Object memoryId) {
    return windows.get(memory.conversation(memoryId));
  }

  @Override
  public void updateMessages(Object memoryId, List<ChatMessage> messages) {
    windows.save(memory.conversation(memoryId), messages);
  }

  @Override
  public void deleteMessages(Object memoryId) {
    windows.delete(memory.conversation(memoryId));
  }

  static Optional<Turn> turn(ChatMessage m) {
    if (m instanceof UserMessage u && u.hasSingleText()) return Optional.of(new Turn("user", u.singleText()));
    if (m instanceof AiMessage a && a.text() != null && !a.text().isBlank()) return Optional.of(new Turn("assistant", a.text()));
    return Optional.empty();
  }

  static List<ChatMessage> fromPlatform(PromptContext c) {
    List<ChatMessage> out = new ArrayList<>();
    if (c.available() && c.formattedContext() != null && !c.formattedContext().isBlank()) {
      out.add(SystemMessage.from("Summary of the earlier conversation:\n" + c.formattedContext()));
    }
    for (RecentTurn t : c.recentMessages()) {
      if ("user".equals(t.role())) out.add(UserMessage.from(t.content()));
      else if ("assistant".equals(t.role())) out.add(AiMessage.from(t.content()));
    }
    return out;
  }
}
