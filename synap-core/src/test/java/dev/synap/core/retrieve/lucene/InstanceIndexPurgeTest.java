package dev.synap.core.retrieve.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Scope;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleted documents are purged from the segment files, also when a shutdown interrupted the purge. */
class InstanceIndexPurgeTest {
  @TempDir Path dir;

  @Test
  void aPurgePendingInTheLastCommitIsResumedWhenTheIndexOpens() throws Exception {
    // An index as a shutdown during a purge leaves it: the deletion committed, the segment not yet rewritten.
    try (FSDirectory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new EnglishAnalyzer()).setMergePolicy(NoMergePolicy.INSTANCE))) {
      w.addDocument(MemoryDocument.of(doc("m1", "ann", "Ann grows Quornflaxian tomatoes")));
      // Many other documents: one deletion in a hundred is far below what Lucene's own merges reclaim.
      for (int i = 0; i < 100; i++) w.addDocument(MemoryDocument.of(doc("b" + i, "bob", "Bob repairs clocks number " + i)));
      w.commit();
      w.deleteDocuments(new Term(MemoryDocument.USER, "ann"));
      w.setLiveCommitData(Map.of(InstanceIndex.PURGE_PENDING, "true").entrySet());
      w.commit();
    }
    assertThat(segmentsHoldTerm("quornflax")).as("a deleted document's terms stay until its segment is rewritten").isTrue();

    try (InstanceIndex idx = new InstanceIndex(dir)) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (idx.purging()) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(10);
      }
      assertThat(idx.size()).isEqualTo(100);
    }
    assertThat(segmentsHoldTerm("quornflax")).isFalse();
    assertThat(segmentsHoldTerm("clock")).isTrue();
  }

  private boolean segmentsHoldTerm(String term) throws Exception {
    try (FSDirectory d = FSDirectory.open(dir); DirectoryReader r = DirectoryReader.open(d)) {
      for (LeafReaderContext leaf : r.leaves()) {
        Terms terms = leaf.reader().terms(MemoryDocument.TEXT);
        if (terms == null) continue;
        var it = terms.iterator();
        for (BytesRef t = it.next(); t != null; t = it.next()) if (t.utf8ToString().contains(term)) return true;
      }
    }
    return false;
  }

  private static IndexedMemory doc(String id, String user, String text) {
    Memory m = new Memory(id, "inst", user, null, "conv-" + user, Scope.USER, MemoryType.FACT, text, 0.7, null, Map.of(), null, null, null,
        List.of(), "current", Instant.now(), Instant.now());
    return new IndexedMemory(m, text, 19000, null, null);
  }
}
