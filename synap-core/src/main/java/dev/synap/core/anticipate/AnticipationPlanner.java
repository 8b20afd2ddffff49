package dev.synap.core.anticipate;

import dev.synap.core.model.MemoryType;
import dev.synap.core.retrieve.QueryTerms;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, per event type, what the next turn is likely to need.
 *
 * <ul>
 *   <li>{@code user_message}: the message itself is the best predictor of what the reply needs;
 *       search with it (and any explicit hints) and push an anticipation bundle.
 *   <li>{@code assistant_message}: the user's next turn usually follows up on what the reply
 *       talked about; search with the reply's content words.
 *   <li>{@code tool_call}: the tool's arguments describe the data need; search with them.
 *   <li>{@code context_request}: explicit queries and types, answered at once as a reactive bundle.
 *   <li>{@code agent_thinking}: the reasoning text is a hint, like a user message.
 * </ul>
 *
 * Events that carry no usable text produce no plan.
 */
public final class AnticipationPlanner {

  /** The parts of a conversation event the planner reads. */
  public record Event(
      String eventType, String content, String toolName, String toolArgsJson, List<String> searchQueries, List<String> contextTypes) {}

  public Optional<BundlePlan> plan(Event e) {
    String type = e.eventType() == null || e.eventType().isBlank() ? "user_message" : e.eventType().toLowerCase(Locale.ROOT);
    Set<MemoryType> types = typesOf(e.contextTypes());
    List<String> queries = new ArrayList<>(e.searchQueries() == null ? List.of() : e.searchQueries());
    String pattern;
    float confidence;
    String bundleType = "anticipation";
    switch (type) {
      case "user_message" -> {
        addIfText(queries, e.content());
        pattern = "user_message.direct";
        confidence = 0.8f;
      }
      case "assistant_message" -> {
        addIfText(queries, e.content());
        pattern = "assistant_message.follow_up";
        confidence = 0.6f;
      }
      case "tool_call" -> {
        addIfText(queries, toolText(e.toolName(), e.toolArgsJson()));
        pattern = "tool_call.arguments";
        confidence = 0.7f;
      }
      case "context_request" -> {
        addIfText(queries, e.content());
        pattern = "context_request.explicit";
        confidence = 1.0f;
        bundleType = "reactive";
      }
      case "agent_thinking" -> {
        addIfText(queries, e.content());
        pattern = "agent_thinking.hint";
        confidence = 0.5f;
      }
      default -> {
        return Optional.empty(); // context_fetch and session markers carry nothing to predict from
      }
    }
    if (queries.isEmpty()) return Optional.empty();
    return Optional.of(new BundlePlan(bundleType, List.copyOf(queries), QueryTerms.of(queries), types, pattern, confidence, 1800));
  }

  private static void addIfText(List<String> queries, String text) {
    if (text != null && !text.isBlank() && !queries.contains(text)) queries.add(text);
  }

  /** Tool name words plus every string value in the argument JSON, crudely but without a parser. */
  static String toolText(String toolName, String argsJson) {
    StringBuilder sb = new StringBuilder();
    if (toolName != null) sb.append(toolName.replace('_', ' ').replace('.', ' ')).append(' ');
    if (argsJson != null) sb.append(argsJson.replaceAll("\"[A-Za-z_]+\"\\s*:", " ").replaceAll("[{}\\[\\]\",:]", " "));
    return sb.toString().strip();
  }

  static Set<MemoryType> typesOf(List<String> contextTypes) {
    Set<MemoryType> out = new LinkedHashSet<>();
    if (contextTypes != null) for (String t : contextTypes) MemoryType.parse(t).ifPresent(out::add);
    return out;
  }
}
