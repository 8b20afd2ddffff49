package dev.synap.core.compact;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lays kept sentences out as the summary text: chronological, one line per turn
 * ("- Speaker: sentence sentence"), under a date line whenever the day changes, so relative
 * dates in the turns ("yesterday") stay answerable after compaction.
 */
final class SummaryLayout {
  private SummaryLayout() {}

  static String render(List<Sentence> kept) {
    List<Sentence> ordered = new ArrayList<>(kept);
    ordered.sort(Comparator.comparingInt(Sentence::index));
    StringBuilder out = new StringBuilder();
    String day = null;
    int message = -1;
    for (Sentence s : ordered) {
      String d = s.at() == null ? "" : s.at().atZone(ZoneOffset.UTC).toLocalDate().toString();
      if (!d.equals(day)) {
        if (!d.isEmpty()) out.append(out.isEmpty() ? "" : "\n").append(d).append(':');
        day = d;
        message = -1;
      }
      if (s.messageIndex() == message) {
        out.append(' ').append(s.text());
      } else {
        if (!out.isEmpty()) out.append('\n');
        out.append("- ").append(s.line());
        message = s.messageIndex();
      }
    }
    return out.toString();
  }
}
