package dev.synap.core.anticipate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's estimate of which items a stream's client still holds in its cache, so a push
 * leaves out what the client already has.
 *
 * <p>Clients cache a bounded number of bundles (least recently used first out; the Java SDK states
 * its capacity when it opens the stream, the official client keeps {@value #DEFAULT_CLIENT_BUNDLES}
 * and says nothing), so "pushed once" does not mean "held forever": once many bundles have
 * followed an item's, the client has likely evicted it, and an item relevant again must be sent
 * again or the client's answer for the returning topic lacks it. An item therefore counts as held
 * only while fewer than {@code horizon} bundles have been pushed on the stream since its own. The
 * horizon is set below the client's capacity ({@link #horizonFor}) because hits reorder the
 * client's LRU in ways the server does not see; a needless resend costs its tokens, a missing item
 * costs an answer.
 *
 * <p>Not thread-safe: callers hold the stream's lock.
 */
public final class ClientHoldings {
  /** The cache capacity assumed for a client that does not state its own (the official client's). */
  public static final int DEFAULT_CLIENT_BUNDLES = 100;

  /** The horizon for a client caching {@code clientBundles} bundles: three fifths of them (60 for the default 100). */
  public static int horizonFor(int clientBundles) {
    return Math.max(1, (int) Math.min(Integer.MAX_VALUE, clientBundles * 3L / 5));
  }

  private record Held(long updatedAt, long bundle) {}

  private final int horizon;
  private final Map<String, Held> items;
  private long bundles;

  public ClientHoldings(int maxItems, int horizon) {
    this.horizon = Math.max(1, horizon);
    this.items = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
        return size() > maxItems;
      }
    };
  }

  /** Whether the client likely still holds this version of the item. */
  public boolean holds(String itemId, long updatedAt) {
    Held h = items.get(itemId);
    return h != null && h.updatedAt() == updatedAt && bundles - h.bundle() < horizon;
  }

  /** A bundle is about to be pushed; the items then added belong to it. */
  public void nextBundle() {
    bundles++;
  }

  public void pushed(String itemId, long updatedAt) {
    items.put(itemId, new Held(updatedAt, bundles));
  }

  /** The item never reached the client (its bundle was replaced before it was written). */
  public void forget(String itemId) {
    items.remove(itemId);
  }
}
