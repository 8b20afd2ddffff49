package dev.synap.springai;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

/** A Spring AI ChatModel that answers from a script (no LLM, no network) and keeps every prompt. */
public final class ScriptedChatModel implements ChatModel {
  public final List<Prompt> prompts = new ArrayList<>();
  private final Deque<String> script = new ArrayDeque<>();

  public ScriptedChatModel then(String reply) {
    script.add(reply);
    return this;
  }

  @Override
  public synchronized ChatResponse call(Prompt prompt) {
    prompts.add(prompt);
    String reply = script.isEmpty() ? "(no more script)" : script.poll();
    return new ChatResponse(List.of(new Generation(new AssistantMessage(reply))));
  }

  /** Every message of the last prompt, as one text. */
  public synchronized String lastPrompt() {
    return prompts.getLast().getInstructions().stream().map(m -> m.getMessageType() + ": " + m.getText()).collect(Collectors.joining("\n"));
  }
}
