package dev.synap.core.anticipate;

import dev.synap.core.model.MemoryType;
import dev.synap.core.retrieve.QueryTerms;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides, per event type, what the next turn is likely to need.
 *
 * <ul>
 *   <li>{@code user_message}: the message itself is the best predictor of what the reply needs;
 *       search with it (and any explicit hints) and push an anticipation bundle.
 *   <li>{@code assistant_message}: the user's next turn usually follows up on what the reply
 *       talked about: the whole reply, plus each name it mentions and each promised follow-up
 *       ("I'll check your flight") as separate queries, so a follow-up about any one of them hits.
 *   <li>{@code tool_call}: the tool name is classified into a data need (tool-needs.tsv) and the
 *       argument values become the query: the result will be combined with that context.
 *   <li>{@code context_request}: explicit queries and types, answered at once as a reactive bundle.
 *   <li>{@code tool_result}: what the tool returned (its values, plus the tool's data need) is what
 *       the next step asks about.
 *   <li>{@code agent_thinking}: the reasoning text is a hint, like a user message.
 * </ul>
 *
 * Events that carry no usable text produce no plan. {@code search_queries} and
 * {@code context_types} on any event are used as direct hints. How many items a plan may push
 * is decided with feedback: patterns whose pushes are rarely used push fewer items.
 */
public final class AnticipationPlanner {
  static final int DEFAULT_ITEMS = 10;
  /**
   * Runs of capitalised words. Possessive, with the word boundary checked after every word instead
   * of once after the run: a greedy repeated group costs java.util.regex a stack frame per word
   * (thousands of capitalised words overflowed the stack), and the trailing boundary was what made
   * it give words back. Giving back inside a word can never reach a boundary, so the matches are
   * the same (AnticipationPlannerTest checks).
   */
  static final Pattern NAME = Pattern.compile("\\b([A-Z][a-z]{2,}+\\b(?:\\s++[A-Z][a-z]{2,}+\\b)*+)");
  private static final Pattern FOLLOW_UP = Pattern.compile(
      "(?i)\\b(?:i'll|i will|let me|i can|i could|would you like me to|shall i)\\s+([^.!?]{4,80})");
  private static final Set<String> NOT_NAMES = Set.of("The", "This", "That", "There", "They", "Then", "What", "When", "Where", "Which",
      "Who", "How", "Why", "You", "Your", "Yes", "Sure", "Great", "Thanks", "Thank", "Well", "And", "But", "Also", "Let", "Would",
      "Could", "Should", "Here", "Sounds", "Good", "Nice", "Wow", "Okay", "Hey", "Hello", "Hi", "Maybe", "Just", "Oh");

  /** The parts of a conversation event the planner reads. */
  public record Event(
      String eventType, String content, String toolName, String toolArgsJson, List<String> searchQueries, List<String> contextTypes) {}

  private final ToolNeeds toolNeeds = new ToolNeeds();
  private final FeedbackLedger feedback;

  public AnticipationPlanner() {
    this(new FeedbackLedger());
  }

  public AnticipationPlanner(FeedbackLedger feedback) {
    this.feedback = feedback;
  }

  public FeedbackLedger feedback() {
    return feedback;
  }

  /** Plans for an event of an instance; empty when the event gives nothing to predict from. */
  public Optional<BundlePlan> plan(String instanceId, Event e) {
    String type = e.eventType() == null || e.eventType().isBlank() ? "user_message" : e.eventType().toLowerCase(Locale.ROOT);
    Set<MemoryType> types = typesOf(e.contextTypes());
    List<String> queries = new ArrayList<>();
    if (e.searchQueries() != null) for (String q : e.searchQueries()) addIfText(queries, q);
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
        for (String name : names(e.content())) addIfText(queries, name);
        for (String promise : followUps(e.content())) addIfText(queries, promise);
        pattern = "assistant_message.follow_up";
        confidence = 0.6f;
      }
      case "tool_call" -> {
        var need = toolNeeds.of(e.toolName());
        if (need.isPresent() && types.isEmpty()) types = need.get().types();
        String args = toolText(e.toolName(), e.toolArgsJson());
        addIfText(queries, need.map(n -> (args + " " + n.extraQuery()).strip()).orElse(args));
        pattern = need.isPresent() ? "tool_call.classified" : "tool_call.arguments";
        confidence = need.isPresent() ? 0.75f : 0.6f;
      }
      case "context_request" -> {
        addIfText(queries, e.content());
        pattern = "context_request.explicit";
        confidence = 1.0f;
        bundleType = "reactive";
      }
      case "tool_result" -> {
        // What a tool returned decides the agent's next step: its values (and the tool's data
        // need, as for the call) are what the next turn will ask about.
        var need = toolNeeds.of(e.toolName());
        if (need.isPresent() && types.isEmpty()) types = need.get().types();
        String result = toolText(e.toolName(), e.content());
        addIfText(queries, need.map(n -> (result + " " + n.extraQuery()).strip()).orElse(result));
        pattern = "tool_result.next_step";
        confidence = 0.65f;
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
    int items = bundleType.equals("reactive") ? DEFAULT_ITEMS : feedback.itemBudget(instanceId, pattern, DEFAULT_ITEMS);
    float adjusted = bundleType.equals("reactive") ? confidence : (float) Math.min(1.0, confidence * feedback.confidenceFactor(instanceId, pattern));
    return Optional.of(new BundlePlan(bundleType, List.copyOf(queries), QueryTerms.of(queries), types, pattern, adjusted, 1800, items));
  }

  /** Back-compatible form for callers without an instance (no feedback applied). */
  public Optional<BundlePlan> plan(Event e) {
    return plan("", e);
  }

  private static void addIfText(List<String> queries, String text) {
    if (text != null && !text.isBlank() && !queries.contains(text.strip())) queries.add(text.strip());
  }

  static List<String> names(String text) {
    Set<String> out = new LinkedHashSet<>();
    if (text == null) return List.of();
    Matcher m = NAME.matcher(text);
    while (m.find() && out.size() < 4) {
      String n = m.group(1);
      if (!NOT_NAMES.contains(n.split("\\s+")[0])) out.add(n);
    }
    return List.copyOf(out);
  }

  static List<String> followUps(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) return out;
    Matcher m = FOLLOW_UP.matcher(text);
    while (m.find() && out.size() < 2) out.add(m.group(1).strip());
    return out;
  }

  /** Tool name words plus every value in the argument JSON (keys and punctuation dropped). */
  static String toolText(String toolName, String argsJson) {
    StringBuilder sb = new StringBuilder();
    if (toolName != null) sb.append(toolName.replace('_', ' ').replace('.', ' ')).append(' ');
    if (argsJson != null) sb.append(argsJson.replaceAll("\"[A-Za-z_]+\"\\s*:", " ").replaceAll("[{}\\[\\]\",:]", " "));
    return sb.toString().replaceAll("\\s+", " ").strip();
  }

  static Set<MemoryType> typesOf(List<String> contextTypes) {
    Set<MemoryType> out = new LinkedHashSet<>();
    if (contextTypes != null) for (String t : contextTypes) MemoryType.parse(t).ifPresent(out::add);
    return out;
  }
}
