package dev.synap.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synap.core.InvalidInputException;
import dev.synap.core.extract.RuleExtractor;
import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one document or transcript may cost: bounded expansion, linear hashing, admission first. */
class IngestLimitsTest {
  @TempDir Path dir;

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static int totalChars(List<String> chunks) {
    return chunks.stream().mapToInt(String::length).sum();
  }

  @Test
  void aTranscriptOfTwoHundredThousandOneCharacterLinesIsRefusedQuickly() {
    String text = "a\n".repeat(200_000);
    long start = System.nanoTime();
    assertThatThrownBy(() -> TranscriptText.turns(text, null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("more than " + TranscriptText.MAX_TURNS + " turns");
    assertThat(millisSince(start)).isLessThan(1_000);
  }

  @Test
  void aTranscriptLineLongerThanAMessageIsRefused() {
    assertThatThrownBy(() -> TranscriptText.turns("user: hi\nuser: " + "x".repeat(RecordValidator.MAX_CONTENT_CHARS + 1), null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("line 2");
  }

  @Test
  void transcriptLinesKeepTheirSpeakersAndRoles() {
    List<DocumentRequest.Part> turns = TranscriptText.turns("Caroline: I moved to Denver.\n\n  \nassistant: How is it?\nno speaker here\n", null);
    assertThat(turns).extracting(DocumentRequest.Part::role).containsExactly("user", "assistant", "user");
    assertThat(turns).extracting(DocumentRequest.Part::speaker).containsExactly("Caroline", "assistant", null);
    assertThat(turns).extracting(DocumentRequest.Part::content).containsExactly("I moved to Denver.", "How is it?", "no speaker here");
  }

  /** The hash stored with every ingestion before this change, so duplicates keep being recognised. */
  private static String legacyHash(List<DocumentRequest.Part> parts) throws Exception {
    String joined = parts.stream().map(p -> p.role() + "\u0001" + p.content()).reduce("", (a, b) -> a + "\u0000" + b);
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theContentHashIsTheOneStoredBeforeAndTakesLinearTime() throws Exception {
    List<DocumentRequest.Part> small = List.of(new DocumentRequest.Part("user", "héllo 👋", null, null),
        new DocumentRequest.Part("assistant", "hi", null, null), new DocumentRequest.Part("document", "", null, null));
    assertThat(IngestPipeline.contentHash(small)).isEqualTo(legacyHash(small));

    // 100,000 parts of 100 characters: 10 MB to hash. Concatenating one part at a time copies
    // about 500 GB of characters; a digest fed part by part reads each once.
    List<DocumentRequest.Part> big = new ArrayList<>();
    String text = "x".repeat(100);
    for (int i = 0; i < 100_000; i++) big.add(new DocumentRequest.Part("user", text, null, null));
    long start = System.nanoTime();
    assertThat(IngestPipeline.contentHash(big)).hasSize(64);
    assertThat(millisSince(start)).as("milliseconds to hash 10 MB in 100,000 parts").isLessThan(5_000);
  }

  @Test
  void aFullQueueRefusesADocumentBeforeAnyOtherWork() {
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(dir)) {
      IngestPipeline notStarted = new IngestPipeline(store.messages(), new RuleExtractor(), 1, 3);
      for (int i = 0; i < 3; i++) notStarted.record(PipelineFixture.request("c1", "Caroline", "turn " + i, "2024-01-01T10:00:0" + i + "Z"));
      List<DocumentRequest.Part> parts = new ArrayList<>();
      for (int i = 0; i < IngestPipeline.MAX_PARTS; i++) parts.add(new DocumentRequest.Part("document", "y".repeat(1_000), null, null));
      DocumentRequest big = new DocumentRequest("inst-1", "document", "doc-1", "user-1", null, "doc:doc-1", parts, Map.of(), Instant.now());

      long start = System.nanoTime();
      assertThatThrownBy(() -> notStarted.requireRoom(1)).isInstanceOf(QueueFullException.class);
      assertThatThrownBy(() -> notStarted.ingestDocument(big)).isInstanceOf(QueueFullException.class);
      assertThat(millisSince(start)).isLessThan(1_000);
    }
  }

  @Test
  void moreThanTheMaximumNumberOfPartsIsRefused() {
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(dir)) {
      IngestPipeline notStarted = new IngestPipeline(store.messages(), new RuleExtractor(), 1, 1_000_000);
      List<DocumentRequest.Part> parts = new ArrayList<>();
      for (int i = 0; i <= IngestPipeline.MAX_PARTS; i++) parts.add(new DocumentRequest.Part("user", "hi " + i, null, null));
      assertThatThrownBy(() -> notStarted.ingestDocument(new DocumentRequest("inst-1", "transcript", "t-1", "user-1", null, "c1", parts,
          Map.of(), null))).isInstanceOf(InvalidInputException.class).hasMessageContaining("more than " + IngestPipeline.MAX_PARTS);
    }
  }

  /** ~1 MB of JSON with every value under a 10,000-character key path: naively ~5 GB of text. */
  @Test
  void aDeeplyNestedJsonDocumentIsRefusedQuickly() {
    String key = "k".repeat(100);
    String doc = ("{\"" + key + "\":").repeat(100) + "[" + "1,".repeat(490_000) + "1]" + "}".repeat(100);
    long start = System.nanoTime();
    assertThatThrownBy(() -> DocumentChunker.chunk(doc, DocumentChunker.detect("json", doc)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("flattened");
    assertThat(millisSince(start)).isLessThan(3_000);
  }

  @Test
  void aWideJsonDocumentOfOneMegabyteIsChunkedWithinTheBound() {
    StringBuilder doc = new StringBuilder("[");
    for (int i = 0; doc.length() < 1_000_000; i++) doc.append(i == 0 ? "" : ",").append("{\"name\":\"guest ").append(i).append("\",\"city\":\"Lisbon\"}");
    doc.append(']');
    long start = System.nanoTime();
    List<String> chunks = DocumentChunker.chunk(doc.toString(), DocumentChunker.Format.JSON);
    assertThat(millisSince(start)).isLessThan(10_000);
    assertThat(chunks.getFirst()).startsWith("[0].name: guest 0");
    assertThat(totalChars(chunks)).isLessThanOrEqualTo(DocumentChunker.MAX_OUTPUT_CHARS);
  }

  @Test
  void aLongMarkdownHeadingIsNotCopiedIntoEveryChunk() {
    String doc = "# " + "Heading ".repeat(40_000) + "\n\n" + "A short paragraph about the trip.\n\n".repeat(20_000);
    long start = System.nanoTime();
    List<String> chunks = DocumentChunker.chunk(doc, DocumentChunker.detect(null, doc));
    assertThat(millisSince(start)).isLessThan(3_000);
    assertThat(totalChars(chunks)).isLessThanOrEqualTo(DocumentChunker.MAX_OUTPUT_CHARS);
    assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(DocumentChunker.TARGET_CHARS * 2 + DocumentChunker.MAX_HEADING_CHARS + 2));
  }

  @Test
  void aLongRunOfWhitespaceInsideAParagraphTakesLinearTime() {
    String doc = "start" + " ".repeat(500_000) + "end\nnext line";
    long start = System.nanoTime();
    List<String> chunks = DocumentChunker.chunk(doc, DocumentChunker.Format.TEXT);
    assertThat(millisSince(start)).isLessThan(2_000);
    assertThat(chunks.getFirst()).startsWith("start");
  }
}
