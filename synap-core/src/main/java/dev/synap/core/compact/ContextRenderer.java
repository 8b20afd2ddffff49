package dev.synap.core.compact;

import dev.synap.core.model.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders compacted context as text: the three {@link CompactedFormat}s of a stored compaction,
 * and the three {@link PromptStyle}s of summary plus recent turns. Pure functions of their input.
 */
public final class ContextRenderer {
  private static final int SECTION_ITEMS = 5;

  private ContextRenderer() {}

  public static String compacted(Compaction c, CompactedFormat format) {
    CompactionResult r = c.result();
    return switch (format) {
      case STRUCTURED -> structured(c);
      case NARRATIVE -> narrative(r.summary()) + stateSentence(r.currentState());
      case INJECTION -> "<conversation_context conversation_id=\"" + c.conversationId() + "\" compaction_id=\"" + c.compactionId()
          + "\" version=\"" + c.version() + "\">\n" + r.summary() + "\n[state] " + stateLine(r.currentState()) + "\n</conversation_context>";
    };
  }

  private static String structured(Compaction c) {
    CompactionResult r = c.result();
    StringBuilder out = new StringBuilder();
    out.append("## Conversation summary (version ").append(c.version()).append(", ").append(r.messagesCompacted()).append(" turns, ")
        .append(Math.round(r.compressionRatio() * 100)).append("% of ").append(r.originalTokens()).append(" tokens)\n")
        .append(r.summary()).append('\n');
    section(out, "Decisions", r.keyExtractions().decisions());
    section(out, "Preferences", r.keyExtractions().preferences());
    section(out, "Constraints", r.keyExtractions().constraints());
    out.append("## Current state\n").append(stateLine(r.currentState()));
    return out.toString();
  }

  private static void section(StringBuilder out, String title, List<Map<String, Object>> items) {
    if (items.isEmpty()) return;
    out.append("## ").append(title).append('\n');
    for (Map<String, Object> i : items.subList(Math.max(0, items.size() - SECTION_ITEMS), items.size())) {
      out.append("- ").append(i.get("speaker")).append(": ").append(i.get("content")).append('\n');
    }
  }

  /** "status: active; open questions: ...; next steps: ..." */
  static String stateLine(Map<String, Object> state) {
    StringBuilder s = new StringBuilder("status: ").append(state.getOrDefault("status", "unknown"));
    appendList(s, "open questions", state.get("open_questions"));
    appendList(s, "next steps", state.get("next_steps"));
    appendList(s, "topic", state.get("current_topic"));
    return s.toString();
  }

  private static void appendList(StringBuilder s, String label, Object value) {
    if (value instanceof List<?> l && !l.isEmpty()) s.append("; ").append(label).append(": ").append(String.join(" | ", l.stream().map(String::valueOf).toList()));
  }

  private static String stateSentence(Map<String, Object> state) {
    return "\n\nWhere it stands: " + stateLine(state) + ".";
  }

  /** The summary's "date:" and "- Speaker: text" lines as prose paragraphs, one per day. */
  static String narrative(String summary) {
    StringBuilder out = new StringBuilder();
    for (String line : summary.split("\n")) {
      if (line.isBlank()) continue;
      if (!line.startsWith("- ") && line.endsWith(":")) {
        if (!out.isEmpty()) out.append("\n\n");
        out.append("On ").append(line, 0, line.length() - 1).append(',');
        continue;
      }
      String body = line.startsWith("- ") ? line.substring(2) : line;
      int colon = body.indexOf(": ");
      if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') out.append(' ');
      if (colon > 0) out.append(body, 0, colon).append(" said: \"").append(body.substring(colon + 2)).append('"');
      else out.append(body);
    }
    return out.toString();
  }

  public static PromptContext prompt(ConversationContext ctx, PromptStyle style, Instant now, int staleTurns) {
    Compaction c = ctx.compaction().orElse(null);
    String summary = c == null ? null : c.result().summary();
    String text = switch (style) {
      case STRUCTURED -> structuredPrompt(summary, ctx.recentMessages());
      case NARRATIVE -> narrativePrompt(summary, ctx.recentMessages());
      case BULLET_POINTS -> bulletPrompt(summary, ctx.recentMessages());
    };
    return new PromptContext(text, c != null, ctx.isStale(staleTurns), c == null ? null : c.result().compressionRatio(),
        c == null ? null : c.result().validationScore(), c == null ? null : Math.max(0, Duration.between(c.completedAt(), now).toSeconds()),
        c != null && c.result().qualityWarning(), ctx.recentMessages(), ctx.uncompactedCount(), ctx.compactedCount(), ctx.totalCount());
  }

  private static String structuredPrompt(String summary, List<Message> recent) {
    StringBuilder out = new StringBuilder();
    if (summary != null) out.append("## Conversation summary\n").append(summary).append("\n\n");
    if (!recent.isEmpty()) {
      out.append(summary == null ? "## Recent messages\n" : "## Since the summary\n");
      for (Message m : recent) out.append("- ").append(turn(m)).append('\n');
    }
    return out.toString().strip();
  }

  private static String narrativePrompt(String summary, List<Message> recent) {
    StringBuilder out = new StringBuilder();
    if (summary != null) out.append(narrative(summary));
    if (!recent.isEmpty()) {
      out.append(out.isEmpty() ? "Recently, " : "\n\nSince then, ");
      List<String> said = new ArrayList<>();
      for (Message m : recent) said.add(Transcript.speaker(m) + " said: \"" + m.content().strip() + "\"");
      out.append(String.join(" ", said));
    }
    return out.toString();
  }

  private static String bulletPrompt(String summary, List<Message> recent) {
    StringBuilder out = new StringBuilder();
    if (summary != null) {
      String day = "";
      for (String line : summary.split("\n")) {
        if (!line.startsWith("- ") && line.endsWith(":")) day = "[" + line.substring(0, line.length() - 1) + "] ";
        else if (!line.isBlank()) out.append("- ").append(day).append(line.startsWith("- ") ? line.substring(2) : line).append('\n');
      }
    }
    for (Message m : recent) out.append("- [recent] ").append(turn(m)).append('\n');
    return out.toString().strip();
  }

  private static String turn(Message m) {
    return Transcript.speaker(m) + ": " + m.content().strip();
  }
}
