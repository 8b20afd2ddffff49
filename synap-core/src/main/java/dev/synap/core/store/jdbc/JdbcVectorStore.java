package dev.synap.core.store.jdbc;

import dev.synap.core.store.VectorStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Memory embeddings in {@code memory_vectors} (float32 little-endian, the same bytes in every
 * store), written in the background: nobody waits on them.
 */
public final class JdbcVectorStore implements VectorStore {
  /** Ids per lookup: below SQLite's host parameter limit (and PostgreSQL's) with room to spare. */
  private static final int CHUNK = 500;
  private final JdbcAccess db;

  public JdbcVectorStore(JdbcAccess db) {
    this.db = db;
  }

  @Override
  public void put(String instanceId, List<StoredVector> vectors) {
    if (vectors.isEmpty()) return;
    db.writeInBackground(c -> {
      // Only for memories still stored: a deletion that committed meanwhile must not get a vector back.
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO memory_vectors (instance_id, memory_id, text_hash, own, in_context) "
              + "SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM memories WHERE memory_id = ? AND instance_id = ?) "
              + "ON CONFLICT (instance_id, memory_id) DO UPDATE SET text_hash = excluded.text_hash, own = excluded.own, "
              + "in_context = excluded.in_context")) {
        for (StoredVector v : vectors) {
          ps.setString(1, instanceId);
          ps.setString(2, v.memoryId());
          ps.setString(3, v.textHash());
          ps.setBytes(4, bytes(v.own()));
          ps.setBytes(5, bytes(v.inContext()));
          ps.setString(6, v.memoryId());
          ps.setString(7, instanceId);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public Map<String, StoredVector> get(String instanceId, Collection<String> memoryIds) {
    Map<String, StoredVector> out = new HashMap<>();
    List<String> ids = new ArrayList<>(memoryIds);
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      db.read(c -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT memory_id, text_hash, own, in_context FROM memory_vectors WHERE instance_id = ? "
            + "AND memory_id IN (" + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")")) {
          ps.setString(1, instanceId);
          for (int i = 0; i < chunk.size(); i++) ps.setString(i + 2, chunk.get(i));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.put(rs.getString(1), new StoredVector(rs.getString(1), rs.getString(2), floats(rs.getBytes(3)), floats(rs.getBytes(4))));
            }
          }
        }
        return null;
      });
    }
    return out;
  }

  private static byte[] bytes(float[] v) {
    if (v == null) return null;
    ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  private static float[] floats(byte[] b) {
    if (b == null) return null;
    float[] v = new float[b.length / Float.BYTES];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }
}
