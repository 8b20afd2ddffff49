package dev.synap.core.store.jdbc;

import dev.synap.core.analytics.LatencyHistogram;
import dev.synap.core.store.UsageStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Usage roll-ups, the same SQL for every JDBC store but for how a merge keeps its row to itself. */
public final class JdbcUsageStore implements UsageStore {
  /**
   * @param lockRow appended to the read of a row about to be merged: what keeps a concurrent merge
   *     out until the write ({@code FOR UPDATE}; empty where a single writer runs one transaction at a time)
   * @param insert the verb that writes the merged row over an existing one ({@code INSERT OR REPLACE INTO}, or {@code INSERT INTO} with {@code onConflict})
   * @param onConflict appended to the insert (empty, or an {@code ON CONFLICT ... DO UPDATE} clause)
   */
  public record Dialect(String lockRow, String insert, String onConflict) {}

  private final JdbcAccess db;
  private final Dialect dialect;

  public JdbcUsageStore(JdbcAccess db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  @Override
  public void merge(List<Rollup> deltas) {
    if (deltas.isEmpty()) return;
    db.write(c -> {
      // Histograms merge bin by bin, which SQL cannot do: read (locking the row where the store needs it), merge, write, in one transaction.
      try (PreparedStatement read = c.prepareStatement("SELECT count, latency FROM usage_rollups WHERE instance_id = ? AND metric = ? "
              + "AND bucket = ? AND group_kind = ? AND bucket_start = ? AND group_key = ?" + dialect.lockRow());
          PreparedStatement write = c.prepareStatement(dialect.insert() + " usage_rollups "
              + "(instance_id, metric, bucket, group_kind, bucket_start, group_key, count, latency) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
              + dialect.onConflict())) {
        for (Rollup d : deltas) {
          read.setString(1, d.instanceId());
          read.setString(2, d.metric());
          read.setString(3, d.bucket());
          read.setString(4, d.groupKind());
          read.setLong(5, d.bucketStart());
          read.setString(6, d.groupKey());
          long count = d.count();
          LatencyHistogram h = LatencyHistogram.decode(d.latency() == null ? "" : d.latency().encode());
          try (ResultSet rs = read.executeQuery()) {
            if (rs.next()) {
              count += rs.getLong(1);
              h.merge(LatencyHistogram.decode(rs.getString(2)));
            }
          }
          write.setString(1, d.instanceId());
          write.setString(2, d.metric());
          write.setString(3, d.bucket());
          write.setString(4, d.groupKind());
          write.setLong(5, d.bucketStart());
          write.setString(6, d.groupKey());
          write.setLong(7, count);
          write.setString(8, h.encode());
          write.executeUpdate();
        }
      }
      return null;
    });
  }

  @Override
  public List<Rollup> read(String instanceId, String metric, String bucket, String groupKind, long from, long to) {
    return db.read(c -> {
      List<Rollup> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT bucket_start, group_key, count, latency FROM usage_rollups WHERE instance_id = ? "
          + "AND metric = ? AND bucket = ? AND group_kind = ? AND bucket_start >= ? AND bucket_start < ? ORDER BY bucket_start, group_key")) {
        ps.setString(1, instanceId);
        ps.setString(2, metric);
        ps.setString(3, bucket);
        ps.setString(4, groupKind);
        ps.setLong(5, from);
        ps.setLong(6, to);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Rollup(instanceId, metric, bucket, rs.getLong(1), groupKind, rs.getString(2), rs.getLong(3),
                LatencyHistogram.decode(rs.getString(4))));
          }
        }
      }
      return out;
    });
  }

  @Override
  public void prune(String bucket, long before) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM usage_rollups WHERE bucket = ? AND bucket_start < ?")) {
        ps.setString(1, bucket);
        ps.setLong(2, before);
        return ps.executeUpdate();
      }
    });
  }
}
