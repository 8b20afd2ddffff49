package dev.synap.core.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Loads the rule extractor's word lists and patterns from class-path resources under
 * {@code /extract/}: one entry per line, tab-separated columns, {@code #} comments. Keeping them
 * as data lets a deployment review and extend them without touching code.
 */
public final class Lexicon {
  private Lexicon() {}

  public static List<String> lines(String name) {
    String path = "/extract/" + name;
    try (InputStream in = Lexicon.class.getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException("missing lexicon " + path);
      List<String> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String t = line.strip();
        if (!t.isEmpty() && !t.startsWith("#")) out.add(line.replace("\r", ""));
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String[]> rows(String name) {
    return lines(name).stream().map(l -> l.split("\t")).toList();
  }

  public static List<Pattern> patterns(String name) {
    return lines(name).stream().map(l -> Pattern.compile(l.strip())).toList();
  }
}
