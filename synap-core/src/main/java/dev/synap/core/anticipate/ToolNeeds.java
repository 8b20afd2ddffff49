package dev.synap.core.anticipate;

import dev.synap.core.model.MemoryType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Classifies a tool call into the data need its result will be combined with, from the table in
 * {@code anticipate/tool-needs.tsv}: a booking tool needs travel preferences, a calendar tool
 * needs dates and plans. Data, not code, so the table can grow without touching the planner.
 */
final class ToolNeeds {
  record Need(Set<MemoryType> types, String extraQuery) {}

  private record Row(Pattern name, Set<MemoryType> types, String extra) {}

  private final List<Row> rows = new ArrayList<>();

  ToolNeeds() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        Objects.requireNonNull(ToolNeeds.class.getResourceAsStream("/anticipate/tool-needs.tsv"), "tool-needs.tsv"), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] cols = line.split("\t", -1);
        Set<MemoryType> types = new LinkedHashSet<>();
        for (String t : cols[1].split(",")) MemoryType.parse(t).ifPresent(types::add);
        rows.add(new Row(Pattern.compile(cols[0]), types, cols.length > 2 ? cols[2].strip() : ""));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The need of the first matching row; none when the tool name says nothing we know. */
  java.util.Optional<Need> of(String toolName) {
    if (toolName == null || toolName.isBlank()) return java.util.Optional.empty();
    String name = toolName.toLowerCase(Locale.ROOT);
    for (Row row : rows) {
      if (row.name().matcher(name).find()) return java.util.Optional.of(new Need(row.types(), row.extra()));
    }
    return java.util.Optional.empty();
  }
}
