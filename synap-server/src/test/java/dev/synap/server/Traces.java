package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.sqlite.SQLiteConfig;

/**
 * Where words of deleted data could remain in a data folder: any column of any table, the raw
 * bytes of the database and its WAL, any term or file of the Lucene index. Shared by the
 * deletion tests (user, customer, conversation), which must all leave nothing.
 */
final class Traces {
  private Traces() {}

  /** Which parts occur (case-insensitively) in any column of any row of any table, blobs included. */
  static List<String> tableHits(Path dir, List<String> parts) throws Exception {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    List<String> hits = new ArrayList<>();
    try (Connection c = config.createConnection("jdbc:sqlite:" + dir.resolve("synap.db"))) {
      List<String> tables = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
        while (rs.next()) tables.add(rs.getString(1));
      }
      assertThat(tables).contains("messages", "memories", "memory_history", "compactions", "memories_fts_data", "entity_aliases", "ingestions");
      for (String table : tables) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              Object v = rs.getObject(i);
              String text = v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(v);
              for (String part : parts) if (lower(text).contains(part) && !hits.contains(part)) hits.add(part);
            }
          }
        }
      }
    }
    return hits;
  }

  /** Which parts occur in the raw bytes of the database file and its write-ahead log. */
  static List<String> fileHits(Path dir, List<String> parts) throws Exception {
    StringBuilder all = new StringBuilder();
    for (String name : new String[] {"synap.db", "synap.db-wal"}) {
      Path f = dir.resolve(name);
      if (Files.exists(f)) all.append(lower(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)));
    }
    return parts.stream().filter(p -> all.indexOf(p) >= 0).toList();
  }

  /**
   * Which parts occur in any term of any field of any segment of the last commit, deleted
   * documents included (a term stays in a segment's dictionary until the segment is rewritten),
   * or in the raw bytes of any index file.
   */
  static List<String> indexHits(Path dir, String instance, List<String> parts) throws Exception {
    Path indexDir = dir.resolve("index").resolve(instance.replaceAll("[^A-Za-z0-9._-]", "_"));
    List<String> hits = new ArrayList<>();
    try (FSDirectory d = FSDirectory.open(indexDir); DirectoryReader reader = DirectoryReader.open(d)) {
      for (LeafReaderContext leaf : reader.leaves()) {
        for (FieldInfo field : leaf.reader().getFieldInfos()) {
          if (field.getIndexOptions() == IndexOptions.NONE) continue;
          Terms terms = leaf.reader().terms(field.name);
          if (terms == null) continue;
          TermsEnum it = terms.iterator();
          for (BytesRef t = it.next(); t != null; t = it.next()) {
            String term = lower(t.utf8ToString());
            for (String part : parts) if (term.contains(part) && !hits.contains(part)) hits.add(part);
          }
        }
      }
    } catch (IndexNotFoundException nothingCommitted) {
      // no commit: nothing on disk to hold any term
    }
    try (Stream<Path> files = Files.list(indexDir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String bytes = lower(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        for (String part : parts) if (bytes.contains(part) && !hits.contains(part)) hits.add(part);
      }
    }
    return hits;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
