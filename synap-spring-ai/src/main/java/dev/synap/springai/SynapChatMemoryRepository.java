package dev.synap.springai;

import dev.synap.integration.ConversationWindows;
import dev.synap.integration.ConversationWindows.Turn;
import dev.synap.integration.SynapMemory;
import dev.synap.sdk.PromptContext;
import dev.synap.sdk.RecentTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;

/**
 * A {@link ChatMemoryRepository} whose system of record is the platform (the rules are those of
 * {@link ConversationWindows}): {@code findByConversationId} gives the compacted summary as a
 * {@link SystemMessage} then the turns after it (fails soft: empty); {@code saveAll} records only
 * the new user and assistant turns however often Spring passes the window whole (typed exceptions);
 * {@code deleteByConversationId} deletes the conversation on the platform (turns, memories,
 * compactions). {@code findConversationIds} lists the
 * conversations this process has used: the platform does not list conversations.
 */
public final class SynapChatMemoryRepository implements ChatMemoryRepository {
  private final SynapMemory memory;
  private final ConversationWindows<Message> windows;
  private final Map<String, String> frameworkIds = new ConcurrentHashMap<>();

  SynapChatMemoryRepository(SynapMemory memory) {
    this.memory = memory;
    this.windows = new ConversationWindows<>(memory, SynapChatMemoryRepository::turn, SynapChatMemoryRepository::fromPlatform);
  }

  @Override
  public List<String> findConversationIds() {
    return List.copyOf(frameworkIds.keySet());
  }

  @Override
  public List<Message> findByConversationId(String conversationId) {
    return windows.get(platformId(conversationId));
  }

  @Override
  public void saveAll(String conversationId, List<Message> messages) {
    windows.save(platformId(conversationId), messages);
  }

  @Override
  public void deleteByConversationId(String conversationId) {
    windows.delete(platformId(conversationId));
    frameworkIds.remove(conversationId);
  }

  private String platformId(String conversationId) {
    String id = memory.conversation(conversationId);
    frameworkIds.put(conversationId, id);
    return id;
  }

  static Optional<Turn> turn(Message m) {
    if (m instanceof UserMessage u && u.getText() != null && !u.getText().isBlank()) return Optional.of(new Turn("user", u.getText()));
    if (m instanceof AssistantMessage a && !a.hasToolCalls() && a.getText() != null && !a.getText().isBlank()) {
      return Optional.of(new Turn("assistant", a.getText()));
    }
    return Optional.empty();
  }

  static List<Message> fromPlatform(PromptContext c) {
    List<Message> out = new ArrayList<>();
    if (c.available() && c.formattedContext() != null && !c.formattedContext().isBlank()) {
      out.add(new SystemMessage("Summary of the earlier conversation:\n" + c.formattedContext()));
    }
    for (RecentTurn t : c.recentMessages()) {
      if ("user".equals(t.role())) out.add(new UserMessage(t.content()));
      else if ("assistant".equals(t.role())) out.add(new AssistantMessage(t.content()));
    }
    return out;
  }
}
