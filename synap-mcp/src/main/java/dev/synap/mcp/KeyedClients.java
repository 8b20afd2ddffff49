package dev.synap.mcp;

import dev.synap.sdk.AuthenticationException;
import dev.synap.sdk.Synap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * SDK clients of the server itself, one per API key that called {@code /mcp}, so that a tool call
 * goes through the same REST edge (key check, rate limits, validation, metrics) as any client.
 * At most 64 are kept (least recently used closed first). The server's address is read on first
 * use, because the server's ports are known only once it listens.
 */
public final class KeyedClients implements AutoCloseable {
  private static final int MAX = 64;

  /** Where the server listens, as its own clients reach it. */
  public record Target(String baseUrl, String grpcHost, int grpcPort) {}

  private final Supplier<Target> target;
  private final Map<String, Synap> clients = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Synap> eldest) {
      if (size() <= MAX) return false;
      eldest.getValue().close();
      return true;
    }
  };

  public KeyedClients(Supplier<Target> target) {
    this.target = target;
  }

  /** The client for an {@code Authorization: Bearer <key>} header (checked by the server before the call got here). */
  synchronized Synap forAuthorization(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() <= 7) {
      throw new AuthenticationException("missing bearer API key");
    }
    String key = authorization.substring(7).strip();
    return clients.computeIfAbsent(key, k -> {
      Target t = target.get();
      return Synap.builder().apiKey(k).baseUrl(t.baseUrl()).grpcHost(t.grpcHost()).grpcPort(t.grpcPort())
          .requestTimeout(MemoryTools.RECALL_TIMEOUT).build();
    });
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(Synap::close);
    clients.clear();
  }

}
