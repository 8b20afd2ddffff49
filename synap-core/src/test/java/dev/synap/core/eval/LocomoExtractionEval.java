package dev.synap.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.consolidate.ContentTokens;
import dev.synap.core.consolidate.Consolidator;
import dev.synap.core.entity.EntityRegistry;
import dev.synap.core.extract.ExtractedMemory;
import dev.synap.core.extract.RuleExtractor;
import dev.synap.core.ingest.IngestPipeline;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.model.Evidence;
import dev.synap.core.model.Memory;
import dev.synap.core.model.Message;
import dev.synap.core.store.MemoryFilter;
import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures the offline pipeline on LoCoMo dev: type and date precision on hand-labelled turns
 * ({@code eval/locomo-types.tsv}, {@code eval/locomo-dates.tsv}), the near-duplicate rate of the
 * memories built from the whole file, and extraction throughput. It runs only in the opt-in
 * {@code locomo} profile, which runs nothing else (tag {@code locomo}; default builds exclude it):
 *
 * <pre>./mvnw -B -q verify -pl synap-core -am -Plocomo -Dsynap.locomo=FILE</pre>
 *
 * The report is printed and written to {@code synap-core/target/locomo-eval.txt}.
 */
@Tag("locomo")
class LocomoExtractionEval {
  @TempDir Path dir;
  private final StringBuilder report = new StringBuilder();

  @Test
  void report() throws Exception {
    Path file = LocomoCorpus.require();
    List<Message> corpus = LocomoCorpus.load(file);
    Map<String, Message> byId = corpus.stream().collect(Collectors.toMap(Message::messageId, Function.identity()));
    RuleExtractor extractor = new RuleExtractor();
    line("LoCoMo dev: %d turns from %s", corpus.size(), file);

    typePrecision(extractor, byId, "locomo-types.tsv");
    // The second set was labelled by a fixed rule before the strict typing was tuned (issue #20).
    typePrecision(extractor, byId, "locomo-types-2.tsv");
    datePrecision(extractor, byId);
    throughput(extractor, corpus);
    duplicates(extractor, corpus);

    Files.writeString(Path.of("target", "locomo-eval.txt"), report.toString());
    System.out.print(report);
  }

  private void typePrecision(RuleExtractor extractor, Map<String, Message> byId, String labels) throws IOException {
    int produced = 0, correct = 0, contentTurns = 0, contentHit = 0, noneTurns = 0, noneKept = 0, evidence = 0;
    List<String> wrong = new ArrayList<>();
    List<String> missed = new ArrayList<>();
    line("%s:", labels);
    for (String[] row : rows(labels)) {
      Message m = byId.get(row[0] + ":" + row[1]);
      Set<String> ok = Set.of(row[2].split(","));
      // Evidence is not a typed memory: it is kept for retrieval, and counted apart.
      List<ExtractedMemory> all = extractor.extract(m);
      List<ExtractedMemory> out = all.stream().filter(e -> !Evidence.is(e.attributes())).toList();
      evidence += all.size() - out.size();
      produced += out.size();
      for (ExtractedMemory e : out) {
        if (ok.contains(e.type().name().toLowerCase(Locale.ROOT))) correct++;
        else wrong.add(row[0] + " " + row[1] + " " + e.type().name().toLowerCase(Locale.ROOT) + " (want " + row[2] + ")");
      }
      if (!ok.contains("none")) {
        contentTurns++;
        if (out.stream().anyMatch(e -> ok.contains(e.type().name().toLowerCase(Locale.ROOT)))) contentHit++;
        else missed.add(row[0] + " " + row[1] + " (want " + row[2] + ")");
      }
      if (ok.equals(Set.of("none"))) {
        noneTurns++;
        if (out.isEmpty()) noneKept++;
      }
    }
    line("type precision: %d of %d memories on %d labelled turns have an acceptable type = %.3f", correct, produced,
        rows(labels).size(), ratio(correct, produced));
    line("type recall: %d of %d turns that must yield a memory got one of an acceptable type = %.3f", contentHit, contentTurns, ratio(contentHit, contentTurns));
    line("chit-chat suppression: %d of %d no-memory turns yielded no typed memory = %.3f", noneKept, noneTurns, ratio(noneKept, noneTurns));
    line("source evidence (not typed, kept for retrieval): %d sentences", evidence);
    line("memories of a wrong type: %s", wrong);
    line("turns without a memory of an acceptable type: %s", missed);
  }

  private void datePrecision(RuleExtractor extractor, Map<String, Message> byId) throws IOException {
    int dated = 0, right = 0, labels = 0, found = 0, granularityRight = 0;
    List<String> misses = new ArrayList<>();
    List<String[]> all = new ArrayList<>(rows("locomo-dates.tsv"));
    for (String[] r : rows("locomo-types.tsv")) if (!r[3].equals("-")) all.add(new String[] {r[0], r[1], "", r[3], "", ""});
    for (String[] row : all) {
      labels++;
      Message m = byId.get(row[0] + ":" + row[1]);
      String keyword = row[2].toLowerCase(Locale.ROOT);
      List<ExtractedMemory> picked = extractor.extract(m).stream()
          .filter(e -> e.content().toLowerCase(Locale.ROOT).contains(keyword)).toList();
      List<ExtractedMemory> withDate = picked.stream().filter(e -> e.eventDate() != null).toList();
      if (withDate.isEmpty()) {
        misses.add(row[0] + " " + row[1] + " (no date)");
        continue;
      }
      dated++;
      ExtractedMemory e = withDate.getFirst();
      if (e.eventDate().equals(row[3])) {
        right++;
        found++;
        if (row[4].isEmpty() || row[4].equals(e.attributes().get("granularity"))) granularityRight++;
      } else {
        misses.add(row[0] + " " + row[1] + " got " + e.eventDate() + " want " + row[3]);
      }
    }
    line("date precision: %d of %d dated memories have the labelled start date = %.3f (granularity also right: %d)", right, dated,
        ratio(right, dated), granularityRight);
    line("date recall: %d of %d labelled event dates found = %.3f", found, labels, ratio(found, labels));
    line("date misses: %s", misses);
  }

  private void throughput(RuleExtractor extractor, List<Message> corpus) {
    for (Message m : corpus) extractor.extract(m); // warm-up
    long start = System.nanoTime();
    int passes = 0;
    long memories = 0;
    while (passes < 3 && System.nanoTime() - start < 30_000_000_000L) {
      for (Message m : corpus) memories += extractor.extract(m).size();
      passes++;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    line("offline extractor throughput: %.0f messages/s (%d passes over %d turns, one thread, %.2f memories per turn)",
        passes * corpus.size() / seconds, passes, corpus.size(), (double) memories / (passes * corpus.size()));
  }

  private void duplicates(RuleExtractor extractor, List<Message> corpus) throws InterruptedException {
    Map<String, List<String>> raw = new LinkedHashMap<>();
    for (Message m : corpus) {
      for (ExtractedMemory e : extractor.extract(m)) raw.computeIfAbsent(m.userId(), u -> new ArrayList<>()).add(e.content());
    }
    line("near-duplicate rate without consolidation: %s", nearDuplicates(raw));

    Map<String, List<String>> stored = new LinkedHashMap<>();
    long start = System.nanoTime();
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(dir)) {
      IngestPipeline pipeline = new IngestPipeline(store.messages(), new EntityRegistry(store.entities()), extractor, 2, 100_000);
      pipeline.start();
      List<RecordRequest> batch = new ArrayList<>();
      for (Message m : corpus) {
        batch.add(new RecordRequest("locomo", m.conversationId(), m.userId(), null, m.sessionId(), "user", "message", m.content(),
            m.metadata(), m.occurredAt(), m.messageId()));
        if (batch.size() == 500) {
          pipeline.recordAll(batch);
          batch.clear();
        }
      }
      pipeline.recordAll(batch);
      long deadline = System.nanoTime() + 300_000_000_000L;
      while (pipeline.queueDepth() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
      double seconds = (System.nanoTime() - start) / 1e9;
      pipeline.close();
      long superseded = 0, reinforced = 0, total = 0, evidence = 0;
      for (String user : raw.keySet()) {
        List<Memory> all = store.memories().list(new MemoryFilter("locomo", null, null, user, null, Set.of(), true), 100_000, 0);
        total += all.size();
        for (Memory m : all) {
          if (m.isEvidence()) evidence++;
          if (m.isCurrent()) stored.computeIfAbsent(user, u -> new ArrayList<>()).add(m.content());
          if (m.status().equals("superseded")) superseded++;
          reinforced += m.sourceMessageIds().size() - 1;
        }
      }
      line("pipeline (record + extract + entities + consolidation, 2 workers, SQLite): %d turns in %.1f s = %.0f messages/s; "
          + "%d memories stored (%d of them source evidence), %d superseded, %d reinforcements, %d entities", corpus.size(), seconds,
          corpus.size() / seconds, total, evidence, superseded, reinforced, store.entities().active("locomo").size());
      assertThat(pipeline.queueDepth()).isZero();
    }
    line("near-duplicate rate of current memories after consolidation: %s", nearDuplicates(stored));
  }

  /** Share of memory pairs within a user whose content-word Jaccard is at least 0.8, and share of memories with such a twin. */
  private static String nearDuplicates(Map<String, List<String>> byUser) {
    long pairs = 0, close = 0, memories = 0, withTwin = 0;
    for (List<String> contents : byUser.values()) {
      List<Set<String>> tokens = contents.stream().map(ContentTokens::of).toList();
      boolean[] twin = new boolean[tokens.size()];
      for (int i = 0; i < tokens.size(); i++) {
        for (int j = i + 1; j < tokens.size(); j++) {
          pairs++;
          if (ContentTokens.jaccard(tokens.get(i), tokens.get(j)) >= Consolidator.DUPLICATE_JACCARD) {
            close++;
            twin[i] = twin[j] = true;
          }
        }
      }
      memories += tokens.size();
      for (boolean t : twin) if (t) withTwin++;
    }
    return String.format(Locale.ROOT, "%d of %d pairs = %.5f; %d of %d memories (%.3f) have a near-copy", close, pairs, ratio(close, pairs),
        withTwin, memories, ratio(withTwin, memories));
  }

  private static List<String[]> rows(String name) throws IOException {
    try (InputStream in = LocomoExtractionEval.class.getResourceAsStream("/eval/" + name)) {
      return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
          .filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split("\t")).toList();
    }
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0 : (double) a / b;
  }

  private void line(String format, Object... args) {
    report.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
