package dev.synap.bench.locomo;

import dev.synap.core.embed.Embedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The README's reference retrievers over raw dialog turns, one document per turn
 * ("speaker: text" plus the image caption): BM25 with Lucene's EnglishAnalyzer and default
 * BM25, and exact cosine over e5-small-v2 embeddings. Nothing from our engine is used except
 * the embedder, so the comparison isolates what the engine adds.
 */
final class TurnBaselines {
  static final int DEPTH = 60;

  record Doc(String diaId, String day, String text) {}

  private TurnBaselines() {}

  static List<Doc> documents(LocomoData.Conversation c) {
    List<Doc> docs = new ArrayList<>();
    for (LocomoData.Session s : c.sessions()) {
      String day = LocomoBench.day(s.at());
      for (LocomoData.Turn t : s.turns()) docs.add(new Doc(t.diaId(), day, t.speaker() + ": " + t.textWithCaption()));
    }
    return docs;
  }

  static RankedTurns item(Doc d) {
    return new RankedTurns(List.of(d.diaId()), "[" + d.day() + "] " + d.text());
  }

  /** BM25 over an in-memory Lucene index of the turns. */
  static TurnRanker bm25(List<Doc> docs) {
    Analyzer analyzer = new EnglishAnalyzer();
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    IndexSearcher searcher;
    try {
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
        for (int i = 0; i < docs.size(); i++) {
          Document d = new Document();
          d.add(new StoredField("i", i));
          d.add(new TextField("text", docs.get(i).text(), Field.Store.NO));
          w.addDocument(d);
        }
      }
      searcher = new IndexSearcher(DirectoryReader.open(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return question -> {
      BooleanQuery.Builder q = new BooleanQuery.Builder();
      for (String term : terms(analyzer, question)) q.add(new TermQuery(new Term("text", term)), Occur.SHOULD);
      try {
        List<RankedTurns> out = new ArrayList<>();
        for (ScoreDoc sd : searcher.search(q.build(), DEPTH).scoreDocs) {
          int i = searcher.storedFields().document(sd.doc).getField("i").numericValue().intValue();
          out.add(item(docs.get(i)));
        }
        return out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** Exact (brute-force) cosine between the question and every turn. */
  static TurnRanker dense(List<Doc> docs, Embedder embedder) {
    List<float[]> vectors = new ArrayList<>(docs.size());
    for (int from = 0; from < docs.size(); from += 64) {
      vectors.addAll(embedder.embedPassages(docs.subList(from, Math.min(docs.size(), from + 64)).stream().map(Doc::text).toList()));
    }
    return question -> {
      float[] q = embedder.embedQuery(question);
      List<Integer> order = new ArrayList<>(docs.size());
      double[] score = new double[docs.size()];
      for (int i = 0; i < docs.size(); i++) {
        float[] v = vectors.get(i);
        double s = 0;
        for (int j = 0; j < v.length; j++) s += v[j] * q[j];
        score[i] = s;
        order.add(i);
      }
      order.sort(Comparator.comparingDouble((Integer i) -> -score[i]));
      return order.subList(0, Math.min(DEPTH, order.size())).stream().map(i -> item(docs.get(i))).toList();
    };
  }

  private static List<String> terms(Analyzer analyzer, String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream("text", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) out.add(term.toString());
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
