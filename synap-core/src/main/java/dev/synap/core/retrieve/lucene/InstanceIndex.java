package dev.synap.core.retrieve.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.MMapDirectory;

/**
 * The Lucene index of one instance: BM25 over {@link MemoryDocument#TEXT} and HNSW over
 * {@link MemoryDocument#VECTOR}. Writes go through one {@link IndexWriter}; reads go through a
 * {@link SearcherManager} refreshed after every write batch, so a memory is searchable well under
 * a second after it was committed to the store (near-real-time).
 */
public final class InstanceIndex implements AutoCloseable {
  private final Analyzer analyzer = new EnglishAnalyzer();
  private final MMapDirectory dir;
  private final IndexWriter writer;
  private final SearcherManager searchers;

  public InstanceIndex(Path path) {
    try {
      this.dir = new MMapDirectory(path);
      this.writer = new IndexWriter(dir, new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
      this.searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open index " + path, e);
    }
  }

  /** Adds or replaces memories (by id). Call {@link #refresh} to make them visible. */
  public void upsert(Collection<IndexedMemory> memories) {
    try {
      for (IndexedMemory m : memories) writer.updateDocument(new Term(MemoryDocument.ID, m.memory().memoryId()), MemoryDocument.of(m));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void setStatus(String memoryId, String status) {
    try {
      writer.updateNumericDocValue(new Term(MemoryDocument.ID, memoryId), MemoryDocument.STATUS, MemoryDocument.status(status));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void delete(String memoryId) {
    try {
      writer.deleteDocuments(new Term(MemoryDocument.ID, memoryId));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes every document of one user (of one customer, when given) and commits, so no trace stays on disk. */
  public void deleteUser(String customerId, String userId) {
    try {
      var q = new org.apache.lucene.search.BooleanQuery.Builder()
          .add(new org.apache.lucene.search.TermQuery(new Term(MemoryDocument.USER, userId)), org.apache.lucene.search.BooleanClause.Occur.FILTER);
      if (customerId != null) {
        q.add(new org.apache.lucene.search.TermQuery(new Term(MemoryDocument.CUSTOMER, customerId)), org.apache.lucene.search.BooleanClause.Occur.FILTER);
      }
      writer.deleteDocuments(q.build());
      writer.forceMergeDeletes(true);
      writer.commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    refresh();
  }

  public void deleteAll() {
    try {
      writer.deleteAll();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes every write so far visible to new views. */
  public void refresh() {
    try {
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void commit() {
    try {
      writer.commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Makes every write so far durable, recording {@code data} with the commit (kept by later
   * commits until replaced), so that a restart knows what the commit contains.
   */
  public void commit(Map<String, String> data) {
    try {
      writer.setLiveCommitData(Map.copyOf(data).entrySet());
      writer.commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the last commit recorded with {@link #commit(Map)} (empty for an index never committed that way). */
  public Map<String, String> committedData() {
    Map<String, String> out = new HashMap<>();
    Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData();
    if (data != null) for (Map.Entry<String, String> e : data) out.put(e.getKey(), e.getValue());
    return out;
  }

  /** Documents visible to searches now (after {@link #refresh}), buffered deletes applied. */
  public int searchableCount() {
    IndexSearcher s = null;
    try {
      s = searchers.acquire();
      return s.getIndexReader().numDocs();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (s != null) {
        try {
          searchers.release(s);
        } catch (IOException ignored) {
          // released or not, the count is read
        }
      }
    }
  }

  public int size() {
    return writer.getDocStats().numDocs;
  }

  /** Bytes the index occupies on disk (and, being memory-mapped, at most in the page cache). */
  public long sizeOnDisk() {
    try {
      long total = 0;
      for (String f : dir.listAll()) total += dir.fileLength(f);
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A point-in-time view; close it (try-with-resources) when done. */
  public View view() {
    try {
      return new View(searchers.acquire());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Terms of {@code text} as the index analysed them (stemmed, stop words removed). */
  public List<String> analyze(String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(MemoryDocument.TEXT, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        String t = term.toString();
        if (!out.contains(t)) out.add(t);
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public void close() {
    try {
      searchers.close();
      writer.close();
      dir.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One consistent snapshot: doc ids from its searches can be compared and looked up. */
  public final class View implements AutoCloseable {
    private final IndexSearcher searcher;

    private View(IndexSearcher searcher) {
      this.searcher = searcher;
    }

    /** BM25 over the analysed terms (any may match), within the filter. */
    public List<Hit> lexical(List<String> terms, Query filter, int n) {
      if (terms.isEmpty()) return List.of();
      BooleanQuery.Builder text = new BooleanQuery.Builder();
      for (String t : terms) text.add(new TermQuery(new Term(MemoryDocument.TEXT, t)), Occur.SHOULD);
      Query q = new BooleanQuery.Builder().add(text.build(), Occur.MUST).add(filter, Occur.FILTER).build();
      return search(q, n);
    }

    /**
     * Nearest neighbours by cosine within the filter. Lucene applies the filter inside the graph
     * walk (and falls back to exact search when the filter is small), so a narrow scope still gets
     * its full k.
     */
    public List<Hit> dense(float[] vector, Query filter, int n) {
      return search(new KnnFloatVectorQuery(MemoryDocument.VECTOR, vector, n, filter), n);
    }

    /** As {@link #dense}, against the embeddings of the memories together with their context. */
    public List<Hit> denseInContext(float[] vector, Query filter, int n) {
      return search(new KnnFloatVectorQuery(MemoryDocument.CONTEXT_VECTOR, vector, n, filter), n);
    }

    private List<Hit> search(Query q, int n) {
      if (q instanceof MatchNoDocsQuery || n <= 0) return List.of();
      try {
        ScoreDoc[] docs = searcher.search(q, n).scoreDocs;
        List<Hit> out = new ArrayList<>(docs.length);
        for (ScoreDoc d : docs) out.add(new Hit(d.doc, d.score));
        return out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public StoredMemory stored(int doc) {
      try {
        Document d = searcher.storedFields().document(doc);
        return new StoredMemory(d.get(MemoryDocument.ID), d.getField(MemoryDocument.EVENT_DAY).numericValue().longValue(),
            d.getField(MemoryDocument.CONFIDENCE).numericValue().doubleValue());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The stored embedding of a doc (a copy; its own text, else its text in context), or null if it has none. */
    public float[] vector(int doc) {
      float[] own = vector(doc, MemoryDocument.VECTOR);
      return own != null ? own : vector(doc, MemoryDocument.CONTEXT_VECTOR);
    }

    private float[] vector(int doc, String field) {
      try {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
        if (values == null) return null;
        KnnVectorValues.DocIndexIterator it = values.iterator();
        int local = doc - leaf.docBase;
        if (it.advance(local) != local) return null;
        return values.vectorValue(it.index()).clone();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      try {
        searchers.release(searcher);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
