package dev.synap.core.store;

import java.util.List;

/**
 * Opens one kind of system of record, found with {@link java.util.ServiceLoader} (so the core
 * never depends on a store module): the embedded SQLite provider ships with the core, the
 * PostgreSQL one with {@code synap-store-postgres}. {@link Stores} picks the provider by URL.
 */
public interface StoreProvider {

  /** Whether this provider serves {@code settings} (by the URL's scheme; a blank URL is the embedded store). */
  boolean accepts(StoreSettings settings);

  /** Opens the store, applying pending schema migrations first. */
  SystemOfRecord open(StoreSettings settings);

  /**
   * What a migration run did.
   *
   * @param appliedNow the versions this run applied (empty when the schema was current)
   * @param versions every version the schema now has, in order
   */
  record Migration(List<Integer> appliedNow, List<Integer> versions) {}

  /** Applies pending schema migrations. */
  Migration migrate(StoreSettings settings);

  /**
   * Rows in the messages table, read through a connection of its own: usable while another
   * process (a server under test or load) writes to the store.
   */
  long countMessages(StoreSettings settings);
}
