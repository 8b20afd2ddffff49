package dev.synap.core.store;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Rows of one instance or one user, table by table, for export and import ({@code core.transfer}
 * writes and reads them as JSON Lines). Every store implements it over its own tables with the
 * same table and column names, so a file written from one store imports into another.
 *
 * <p>Values are plain: {@link String}, {@link Long}, {@link Double} or null; JSON columns stay
 * their JSON text. Surrogate sequence numbers (message, memory and history {@code seq}/{@code
 * rowid}, merge ids) are not exported: they are positions in one file, and the rows of a table
 * come in that order instead, so an import gives them new positions in the same order.
 */
public interface InstanceArchive {

  /** One row: its table and its columns by name. */
  record Row(String table, Map<String, Object> columns) {}

  /**
   * What to export: a whole instance (its client, instance and key rows too), or one user's data
   * (what a user asking for their data gets: their conversations and turns, the memories from
   * them with history, the entities those memories name, the compactions of their conversations).
   */
  record Selection(String instanceId, String customerId, String userId) {
    public static Selection instance(String instanceId) {
      return new Selection(instanceId, null, null);
    }

    public boolean wholeInstance() {
      return userId == null;
    }
  }

  /** The tables an export holds, in the order rows come and are imported (referenced before referencing). */
  List<String> tables();

  /** Streams the selected rows, table by table in {@link #tables()} order. */
  void export(Selection selection, Consumer<Row> sink);

  /**
   * Inserts rows as they are, in one transaction: all of them or, on any failure (a row that
   * exists already, an unknown table or column), none. Aliases an instance already knows are kept
   * (an alias names one entity per instance). Returns rows inserted per table.
   */
  Map<String, Integer> importRows(Iterator<Row> rows);

  /** Every table of the store's schema, so a test can check that each is exported or knowingly left out. */
  List<String> schemaTables();
}
