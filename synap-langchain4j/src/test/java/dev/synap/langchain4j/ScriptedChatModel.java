package dev.synap.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A ChatModel that answers from a script (no LLM, no network) and keeps every request it got. */
final class ScriptedChatModel implements ChatModel {
  final List<ChatRequest> requests = new ArrayList<>();
  private final Deque<AiMessage> script = new ArrayDeque<>();

  ScriptedChatModel then(AiMessage reply) {
    script.add(reply);
    return this;
  }

  ScriptedChatModel then(String reply) {
    return then(AiMessage.from(reply));
  }

  @Override
  public synchronized ChatResponse doChat(ChatRequest request) {
    requests.add(request);
    AiMessage reply = script.isEmpty() ? AiMessage.from("(no more script)") : script.poll();
    return ChatResponse.builder().aiMessage(reply).build();
  }

  /** Everything the last request showed the model, as one text. */
  synchronized String lastPrompt() {
    StringBuilder b = new StringBuilder();
    for (ChatMessage m : requests.getLast().messages()) {
      b.append(switch (m) {
        case UserMessage u -> u.singleText();
        case SystemMessage s -> s.text();
        case AiMessage a -> String.valueOf(a.text());
        case ToolExecutionResultMessage t -> t.text();
        default -> m.toString();
      }).append('\n');
    }
    return b.toString();
  }
}
