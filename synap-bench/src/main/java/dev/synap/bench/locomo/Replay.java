package dev.synap.bench.locomo;

import dev.synap.bench.TempDirs;
import dev.synap.bench.locomo.LocomoData.Conversation;
import dev.synap.bench.locomo.LocomoData.Session;
import dev.synap.bench.locomo.LocomoData.Turn;
import dev.synap.core.MemoryEngine;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.ingest.Recorded;
import dev.synap.core.tenant.RelationshipMode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One conversation recorded into a fresh engine (temporary folder, fresh instance) and fully
 * extracted and indexed, ready to be asked; closing it deletes the folder.
 *
 * <p>Deterministic: the same file gives the same memories, index and figures on every run. One
 * extraction worker (with two, a later turn was sometimes extracted before an earlier one, so which
 * of two similar memories survived consolidation changed from run to run); questions are asked the
 * day after the last session (recency and "last month" do not depend on the day of the run);
 * replaced index entries are purged before asking (deleted documents count in BM25's statistics
 * until a merge, and merges follow timing); dense search over a conversation is exact (see {@code
 * ExactNearest}).
 */
final class Replay implements AutoCloseable {
  final MemoryEngine engine;
  final String instanceId;
  final String owner;
  final Map<String, String> diaIdByMessage = new HashMap<>();
  final Map<String, String> dayByMessage = new HashMap<>();
  final double seconds;
  final long memories;
  private final Path dir;

  private Replay(Conversation c, MemoryEngine.RetrievalConfig retrieval, PrintStream progress, Path dir) throws InterruptedException {
    this.dir = dir;
    this.engine = MemoryEngine.open(new MemoryEngine.Config(dir, 1, 100_000), retrieval.withClock(askedOn(c)));
    try {
      instanceId = engine.tenancy().createInstance("locomo-" + c.sampleId(), RelationshipMode.B2C).instanceId();
      owner = "owner-" + c.sampleId();
      long start = System.nanoTime();
      for (Session s : c.sessions()) {
        List<RecordRequest> requests = new ArrayList<>();
        for (int t = 0; t < s.turns().size(); t++) requests.add(request(c, s, t));
        List<Recorded> recorded = engine.ingest().recordAll(requests);
        for (int t = 0; t < recorded.size(); t++) {
          diaIdByMessage.put(recorded.get(t).messageId(), s.turns().get(t).diaId());
          dayByMessage.put(recorded.get(t).messageId(), LocomoBench.day(s.at()));
        }
      }
      progress.printf("  recorded %d turns; extracting and indexing...%n", c.turnCount());
      if (!engine.awaitIdle(Duration.ofMinutes(20))) throw new IllegalStateException("ingestion did not finish in 20 minutes");
      engine.index().forInstance(instanceId).purgeDeleted();
      seconds = (System.nanoTime() - start) / 1e9;
      memories = engine.store().memories().count(instanceId);
      progress.printf("  ingested in %.1f s: %d memories from %d turns%n", seconds, memories, c.turnCount());
    } catch (RuntimeException | InterruptedException e) {
      engine.close();
      throw e;
    }
  }

  static Replay of(Conversation c, MemoryEngine.RetrievalConfig retrieval, PrintStream progress) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("synap-locomo-");
    try {
      return new Replay(c, retrieval, progress, dir);
    } catch (RuntimeException | InterruptedException e) {
      TempDirs.delete(dir);
      throw e;
    }
  }

  /** The evidence turns (dia ids) a memory came from. */
  List<String> turns(dev.synap.core.model.Memory m) {
    return m.sourceMessageIds().stream().map(diaIdByMessage::get).filter(t -> t != null).toList();
  }

  /** Questions are asked the day after the conversation's last session, not on the day of the run. */
  static Clock askedOn(Conversation c) {
    LocalDateTime last = c.sessions().stream().map(Session::at).max(LocalDateTime::compareTo).orElseThrow();
    return Clock.fixed(last.toLocalDate().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
  }

  private RecordRequest request(Conversation c, Session s, int index) {
    Turn t = s.turns().get(index);
    LocalDateTime at = s.at().plusSeconds(index);
    return new RecordRequest(instanceId, c.sampleId(), owner, null, "session_" + s.number(), "user", "message", t.textWithCaption(),
        Map.of("speaker", t.speaker(), "dia_id", t.diaId()), at.toInstant(ZoneOffset.UTC), c.sampleId() + "/" + t.diaId());
  }

  @Override
  public void close() {
    try {
      engine.close();
    } finally {
      TempDirs.delete(dir);
    }
  }
}
