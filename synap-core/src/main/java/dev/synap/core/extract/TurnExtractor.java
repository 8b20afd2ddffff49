package dev.synap.core.extract;

import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Message;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The simplest offline extractor: one memory per turn that carries information, typed by a few
 * cue words. Questions and bare acknowledgements carry no memory of their own.
 */
public final class TurnExtractor implements Extractor {
  private static final Pattern PREFERENCE = Pattern.compile("\\b(love|loves|like|likes|prefer|prefers|favorite|favourite|hate|hates|enjoy|enjoys)\\b");
  private static final Pattern EMOTION = Pattern.compile("\\b(feel|feeling|felt|happy|sad|excited|anxious|angry|stressed|grateful|thrilled|scared)\\b");
  private static final Pattern EPISODE = Pattern.compile("\\b(yesterday|last (week|month|year|night)|went|visited|attended|did|took|met)\\b");
  private static final Pattern FILLER = Pattern.compile("^(ok(ay)?|thanks?( you)?|yes|no|sure|cool|great|bye|hi|hello|hey)[.!]*$");

  @Override
  public List<ExtractedMemory> extract(Message message) {
    String text = message.content() == null ? "" : message.content().strip();
    String lower = text.toLowerCase(Locale.ROOT);
    if (text.isEmpty() || FILLER.matcher(lower).matches()) return List.of();
    if (lower.endsWith("?") && !lower.contains(".")) return List.of();
    MemoryType type;
    if (PREFERENCE.matcher(lower).find()) type = MemoryType.PREFERENCE;
    else if (EMOTION.matcher(lower).find()) type = MemoryType.EMOTION;
    else if (EPISODE.matcher(lower).find()) type = MemoryType.EPISODE;
    else type = MemoryType.FACT;
    String temporal = type == MemoryType.EPISODE ? "episode" : "perpetual";
    return List.of(new ExtractedMemory(type, text, 0.8, null, Map.of(), null, temporal));
  }
}
