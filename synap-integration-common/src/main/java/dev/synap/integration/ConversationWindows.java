package dev.synap.integration;

import dev.synap.sdk.PromptContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The rule behind every framework chat-memory store (LangChain4j's {@code ChatMemoryStore}, Spring
 * AI's {@code ChatMemoryRepository}): frameworks read the window at every step and write it back
 * whole (older messages evicted at the front, new ones appended), in their own message type
 * {@code M}.
 *
 * <ul>
 *   <li>{@link #get}: the conversation as the platform keeps it (built by {@code fromPlatform} from
 *       the compacted summary and the turns after it), read once per conversation and process;
 *       after that the window the framework last wrote is served from memory, because it also
 *       holds what the platform does not keep (the agent's system prompt, tool calls in flight).
 *       Fails soft (empty).
 *   <li>{@link #save}: only the turns after the longest overlap between the window last seen and
 *       the new one are recorded, so nothing is stored twice; user and assistant text only
 *       ({@code turnOf} says which messages are such turns). Writes throw typed exceptions.
 * </ul>
 */
public final class ConversationWindows<M> {
  /** A recordable turn: what is compared across windows and what is sent. */
  public record Turn(String role, String content) {}

  private final SynapMemory memory;
  private final Function<M, Optional<Turn>> turnOf;
  private final Function<PromptContext, List<M>> fromPlatform;
  private final Map<String, List<M>> windows = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  public ConversationWindows(SynapMemory memory, Function<M, Optional<Turn>> turnOf, Function<PromptContext, List<M>> fromPlatform) {
    this.memory = memory;
    this.turnOf = turnOf;
    this.fromPlatform = fromPlatform;
  }

  /** The window of a platform conversation id. */
  public List<M> get(String conversation) {
    List<M> window = windows.get(conversation);
    return window != null ? window : load(conversation);
  }

  private List<M> load(String conversation) {
    Optional<PromptContext> context = memory.conversationContext(conversation);
    if (context.isEmpty()) return List.of();
    List<M> window = List.copyOf(fromPlatform.apply(context.get()));
    windows.put(conversation, window);
    return window;
  }

  /** Records the turns of {@code messages} not in the window last seen, then keeps {@code messages} as the window. */
  public void save(String conversation, List<M> messages) {
    synchronized (locks.computeIfAbsent(conversation, k -> new Object())) {
      List<Turn> before = turns(get(conversation));
      List<Turn> after = turns(messages);
      for (Turn t : after.subList(overlap(before, after), after.size())) memory.record(conversation, t.role(), t.content());
      windows.put(conversation, List.copyOf(messages));
    }
  }

  /** Deletes the conversation on the platform (turns, memories, compactions) and the window. */
  public void delete(String conversation) {
    synchronized (locks.computeIfAbsent(conversation, k -> new Object())) {
      memory.deleteConversation(conversation);
      windows.remove(conversation);
    }
  }

  /** The conversations this process holds a window of. */
  public Set<String> known() {
    return Set.copyOf(windows.keySet());
  }

  private List<Turn> turns(List<M> messages) {
    List<Turn> out = new ArrayList<>();
    for (M m : messages) turnOf.apply(m).ifPresent(out::add);
    return out;
  }

  /** The longest k such that the last k turns of {@code previous} are the first k of {@code window}. */
  static int overlap(List<Turn> previous, List<Turn> window) {
    for (int k = Math.min(previous.size(), window.size()); k > 0; k--) {
      if (previous.subList(previous.size() - k, previous.size()).equals(window.subList(0, k))) return k;
    }
    return 0;
  }
}
