package dev.synap.core.retrieve.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.apache.lucene.index.TieredMergePolicy;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lucene index of one instance: BM25 over {@link MemoryDocument#TEXT} and HNSW over
 * {@link MemoryDocument#VECTOR}. Writes go through one {@link IndexWriter}; reads go through a
 * {@link SearcherManager} refreshed after every write batch, so a memory is searchable well under
 * a second after it was committed to the store (near-real-time).
 */
public final class InstanceIndex implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceIndex.class);
  private final Analyzer analyzer = new EnglishAnalyzer();
  private final MMapDirectory dir;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  /** Commit user data: present while deleted documents wait to be purged from the files. */
  static final String PURGE_PENDING = "synap.purge_pending";
  private final AtomicBoolean purgeRequested = new AtomicBoolean();
  private final AtomicBoolean purgeRunning = new AtomicBoolean();
  private volatile boolean closed;

  public InstanceIndex(Path path) {
    try {
      this.dir = new MMapDirectory(path);
      // forceMergeDeletes (after a user deletion) rewrites every segment holding a deleted
      // document, not only those past the default 10%: a deleted document's terms live on in its
      // segment's files until the segment is rewritten.
      TieredMergePolicy merges = new TieredMergePolicy();
      merges.setForceMergeDeletesPctAllowed(0);
      this.writer = new IndexWriter(dir, new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
          .setMergePolicy(merges));
      this.searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open index " + path, e);
    }
    if (commitData().containsKey(PURGE_PENDING)) purgeDeletedInBackground(); // a restart interrupted one
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

  /**
   * Removes every document of one user (of one customer, when given; of the whole customer when
   * {@code userId} is null) and every document of {@code conversations}. Not visible, and still in the segment files, until {@link #purgeDeleted}.
   */
  public void deleteOwner(String customerId, String userId, Collection<String> conversations) {
    BooleanQuery.Builder owner = new BooleanQuery.Builder();
    if (userId != null) owner.add(new TermQuery(new Term(MemoryDocument.USER, userId)), Occur.FILTER);
    if (customerId != null) owner.add(new TermQuery(new Term(MemoryDocument.CUSTOMER, customerId)), Occur.FILTER);
    try {
      // No owner (a conversation's deletion): only the conversations' documents go.
      if (userId != null || customerId != null) writer.deleteDocuments(owner.build());
      writer.deleteDocuments(conversations.stream().map(c -> new Term(MemoryDocument.CONVERSATION, c)).toArray(Term[]::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Rewrites every segment that holds deleted documents, commits and refreshes, so that no file
   * of the index holds their terms any more (files of the old segments are removed once no open
   * view reads them). Costs a rewrite of those segments, vectors included (measured on the shared
   * 2-core machine: 108 s for a 20,000-memory index), hence {@link #purgeDeletedInBackground}.
   */
  public void purgeDeleted() {
    try {
      writer.forceMergeDeletes(true);
      writer.commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    refresh();
  }

  /**
   * Makes deletions so far invisible and durable now, and purges them from the files on a
   * background thread ({@link #purgeDeleted}); requests arriving meanwhile are served by one more
   * pass. The commit records that a purge is pending, so one interrupted by a shutdown or a crash
   * resumes when the index is opened again.
   */
  public void purgeDeletedInBackground() {
    // Requested before the commit data says so: a pass finishing meanwhile must not clear the flag.
    purgeRequested.set(true);
    setPurgePending(true);
    commit();
    refresh();
    startPurger();
  }

  /** Whether a purge is requested or running. */
  public boolean purging() {
    return purgeRequested.get() || purgeRunning.get();
  }

  private void startPurger() {
    if (closed || !purgeRunning.compareAndSet(false, true)) return;
    Thread.ofPlatform().daemon(true).name("synap-index-purge").start(() -> {
      try {
        while (!closed && purgeRequested.getAndSet(false)) {
          writer.forceMergeDeletes(true);
          if (!purgeRequested.get()) setPurgePending(false);
          writer.commit();
          refresh();
        }
      } catch (IOException | RuntimeException e) {
        // Closed meanwhile (see close): the last commit still says a purge is pending.
        if (!closed) LOG.warn("purging deleted documents failed, retried when the index is opened again: {}", e.toString());
      } finally {
        purgeRunning.set(false);
        if (purgeRequested.get()) startPurger(); // requested after the loop's last check
      }
    });
  }

  private Map<String, String> commitData() {
    Map<String, String> data = new HashMap<>();
    Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
    if (live != null) for (Map.Entry<String, String> e : live) data.put(e.getKey(), e.getValue());
    return data;
  }

  private void setPurgePending(boolean pending) {
    Map<String, String> data = commitData();
    if (pending) data.put(PURGE_PENDING, "true");
    else data.remove(PURGE_PENDING);
    writer.setLiveCommitData(data.entrySet());
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
      Map<String, String> merged = commitData(); // keeps other keys, such as a pending purge
      merged.putAll(data);
      merged.put(MemoryDocument.FORMAT_KEY, MemoryDocument.FORMAT);
      writer.setLiveCommitData(merged.entrySet());
      writer.commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the last commit recorded with {@link #commit(Map)} (empty for an index never committed that way). */
  public Map<String, String> committedData() {
    return commitData();
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

  /** True when a search now (after {@link #refresh}) sees the memory's document. */
  boolean contains(String memoryId) {
    IndexSearcher s = null;
    try {
      s = searchers.acquire();
      return s.count(new org.apache.lucene.search.TermQuery(new org.apache.lucene.index.Term(MemoryDocument.ID, memoryId))) > 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (s != null) {
        try {
          searchers.release(s);
        } catch (IOException ignored) {
          // released or not, the answer is read
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
      closed = true;
      searchers.close();
      if (purgeRunning.get()) {
        // Do not wait for a purge (minutes on a large index): keep what is committed, abort the
        // merge; the commit says a purge is pending, so the next open resumes it.
        writer.commit();
        writer.rollback();
      } else {
        writer.close();
      }
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
     * Nearest neighbours by cosine within the filter: exact up to {@link ExactNearest#UP_TO}
     * candidates (see there why), else through the graph, where Lucene applies the filter inside
     * the walk (and falls back to exact search when the filter is small), so a narrow scope still
     * gets its full k.
     */
    public List<Hit> dense(float[] vector, Query filter, int n) {
      return nearest(MemoryDocument.VECTOR, vector, filter, n);
    }

    /** As {@link #dense}, against the embeddings of the memories together with their context. */
    public List<Hit> denseInContext(float[] vector, Query filter, int n) {
      return nearest(MemoryDocument.CONTEXT_VECTOR, vector, filter, n);
    }

    private List<Hit> nearest(String field, float[] vector, Query filter, int n) {
      if (filter instanceof MatchNoDocsQuery || n <= 0) return List.of();
      try {
        Optional<List<Hit>> exact = ExactNearest.search(searcher, field, vector, filter, n);
        return exact.isPresent() ? exact.get() : search(new KnnFloatVectorQuery(field, vector, n, filter), n);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Memories of {@code conversation} said within {@code window} millis of {@code at}, nearest
     * first (Lucene's distance feature over the turn time), within the filter: a hit's neighbouring turns.
     */
    public List<Hit> nearInConversation(String conversation, long at, long window, Query filter, int n) {
      Query q = new BooleanQuery.Builder()
          .add(org.apache.lucene.document.LongField.newDistanceFeatureQuery(MemoryDocument.AT, 1f, at, Math.max(1, window / 4)), Occur.MUST)
          .add(new TermQuery(new Term(MemoryDocument.CONVERSATION, conversation)), Occur.FILTER)
          .add(org.apache.lucene.document.LongField.newRangeQuery(MemoryDocument.AT, at - window, at + window), Occur.FILTER)
          .add(filter, Occur.FILTER).build();
      return search(q, n);
    }

    /** BM25 over the terms among the memories naming any of {@code entityIds}, within the filter. */
    public List<Hit> lexicalNaming(List<String> terms, Collection<String> entityIds, Query filter, int n) {
      if (terms.isEmpty() || entityIds.isEmpty()) return List.of();
      BooleanQuery.Builder named = new BooleanQuery.Builder();
      for (String e : entityIds) named.add(new TermQuery(new Term(MemoryDocument.ENTITY, e)), Occur.SHOULD);
      BooleanQuery.Builder text = new BooleanQuery.Builder();
      for (String t : terms) text.add(new TermQuery(new Term(MemoryDocument.TEXT, t)), Occur.SHOULD);
      return search(new BooleanQuery.Builder().add(text.build(), Occur.MUST).add(named.build(), Occur.FILTER).add(filter, Occur.FILTER).build(), n);
    }

    /** Nearest neighbours by cosine among the memories about {@code entityId} (their subject), within the filter. */
    public List<Hit> denseAbout(float[] vector, String entityId, Query filter, int n) {
      Query about = new BooleanQuery.Builder().add(new TermQuery(new Term(MemoryDocument.SUBJECT, entityId)), Occur.FILTER)
          .add(filter, Occur.FILTER).build();
      return search(new KnnFloatVectorQuery(MemoryDocument.VECTOR, vector, n, about), n);
    }

    /** The doc of a memory if the filter admits it, else -1. */
    public int docOf(String memoryId, Query filter) {
      List<Hit> hits = search(new BooleanQuery.Builder().add(new TermQuery(new Term(MemoryDocument.ID, memoryId)), Occur.FILTER)
          .add(filter, Occur.FILTER).build(), 1);
      return hits.isEmpty() ? -1 : hits.getFirst().doc();
    }

    /** How many memories (any status) name the entity: a common entity links everything and says little. */
    public int naming(String entityId) {
      try {
        return searcher.getIndexReader().docFreq(new Term(MemoryDocument.ENTITY, entityId));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Documents in this view (any status). */
    public int size() {
      return searcher.getIndexReader().numDocs();
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
        var at = d.getField(MemoryDocument.AT);
        String conversation = d.get(MemoryDocument.CONVERSATION);
        return new StoredMemory(d.get(MemoryDocument.ID), d.getField(MemoryDocument.EVENT_DAY).numericValue().longValue(),
            d.getField(MemoryDocument.CONFIDENCE).numericValue().doubleValue(), MemoryDocument.NONE.equals(conversation) ? null : conversation,
            at == null ? -1 : at.numericValue().longValue(), List.of(d.getValues(MemoryDocument.ENTITY)));
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
