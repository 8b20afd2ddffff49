package dev.synap.core.retrieve.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;

/**
 * Nearest neighbours by comparing the query with every vector the filter lets through, when that
 * is at most {@link #UP_TO} documents (a user's or a conversation's memories, nearly always).
 *
 * <p>Why not Lucene's HNSW search there: its answer depends on the graph, and the graph on how
 * the segments happened to be flushed and merged, so the same memories indexed twice gave
 * different neighbours at the edge of the top k (the LoCoMo bench moved by 0.01 between identical
 * runs). Comparing a few thousand 384-dimension vectors costs well under a millisecond, is exact
 * and always gives the same answer; ties go to the lower doc id, as in Lucene's own collectors.
 * Beyond {@link #UP_TO} the caller uses the graph.
 */
final class ExactNearest {
  static final int UP_TO = 10_000;

  private ExactNearest() {}

  /** The top {@code n} by the field's similarity (Lucene's score), or empty when the filter passes more than {@link #UP_TO}. */
  static Optional<List<Hit>> search(IndexSearcher searcher, String field, float[] query, Query filter, int n) throws IOException {
    Weight w = searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    // Worst first: the head is what a better candidate evicts.
    PriorityQueue<Hit> best = new PriorityQueue<>(Comparator.comparingDouble(Hit::score).thenComparing(Hit::doc, Comparator.reverseOrder()));
    int seen = 0;
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
      FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(field);
      Scorer scorer = w.scorer(leaf);
      if (values == null || info == null || scorer == null) continue;
      Bits live = leaf.reader().getLiveDocs();
      KnnVectorValues.DocIndexIterator vectors = values.iterator();
      DocIdSetIterator docs = scorer.iterator();
      for (int d = docs.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = docs.nextDoc()) {
        if (live != null && !live.get(d)) continue;
        if (++seen > UP_TO) return Optional.empty();
        int at = vectors.docID() < d ? vectors.advance(d) : vectors.docID();
        if (at != d) continue;
        Hit h = new Hit(leaf.docBase + d, info.getVectorSimilarityFunction().compare(query, values.vectorValue(vectors.index())));
        best.add(h);
        if (best.size() > n) best.poll();
      }
    }
    List<Hit> out = new ArrayList<>(best);
    out.sort(Comparator.comparingDouble(Hit::score).reversed().thenComparingInt(Hit::doc));
    return Optional.of(out);
  }
}
