package dev.synap.server.config;

import dev.synap.core.store.StoreSettings;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.server.limit.RateLimitSettings;
import dev.synap.server.limit.TrustedProxies;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Server settings. Each key can come from (highest first): a command-line flag, an environment
 * variable ({@code SYNAP_} + upper-case key with dots as underscores), the properties file
 * ({@code --config FILE}, else {@code SYNAP_CONFIG}, else {@code <data-dir>/synap.properties}),
 * then the default. The README lists every key.
 */
public record ServerConfig(
    Path dataDir,
    String bindHost,
    int grpcPort,
    int httpPort,
    RelationshipMode relationshipMode,
    int extractWorkers,
    long maxQueued,
    Path tlsCert,
    Path tlsKey,
    RateLimitSettings rateLimits,
    TrustedProxies trustedProxies,
    int maxStreamsPerKey,
    int maxCallsPerConnection,
    StoreSettings store,
    String nodeId) {

  /** Open Listen streams per API key: room for the 10,000-stream load benchmark (one key) and its reconnects. */
  public static final int DEFAULT_MAX_STREAMS_PER_KEY = 20_000;
  /** Calls open at once on one connection; the load benchmark spreads its streams over 8 connections. */
  public static final int DEFAULT_MAX_CALLS_PER_CONNECTION = 10_000;

  /** Key names as used in the properties file; flags use the same names with dashes. */
  public static final Map<String, String> DEFAULTS = Map.ofEntries(
      Map.entry("data.dir", "./synap-data"),
      Map.entry("bind.host", "127.0.0.1"),
      Map.entry("grpc.port", "50051"),
      Map.entry("http.port", "8080"),
      Map.entry("relationship.mode", "b2c"),
      Map.entry("extract.workers", "2"),
      Map.entry("queue.max", "100000"),
      Map.entry("tls.cert", ""),
      Map.entry("tls.key", ""),
      Map.entry("rate.key.per_second", number(RateLimitSettings.DEFAULTS.keyPerSecond())),
      Map.entry("rate.key.burst", Integer.toString(RateLimitSettings.DEFAULTS.keyBurst())),
      Map.entry("rate.instance.per_second", number(RateLimitSettings.DEFAULTS.instancePerSecond())),
      Map.entry("rate.instance.burst", Integer.toString(RateLimitSettings.DEFAULTS.instanceBurst())),
      Map.entry("rate.refusals.per_second", number(RateLimitSettings.DEFAULTS.refusalsPerSecond())),
      Map.entry("rate.refusals.burst", Integer.toString(RateLimitSettings.DEFAULTS.refusalBurst())),
      Map.entry("trusted.proxies", ""),
      Map.entry("listen.max_streams_per_key", Integer.toString(DEFAULT_MAX_STREAMS_PER_KEY)),
      Map.entry("grpc.max_calls_per_connection", Integer.toString(DEFAULT_MAX_CALLS_PER_CONNECTION)),
      Map.entry("store.url", ""),
      Map.entry("store.user", ""),
      Map.entry("store.password", ""),
      Map.entry("store.password_file", ""),
      Map.entry("store.pool_size", Integer.toString(StoreSettings.DEFAULT_POOL_SIZE)),
      Map.entry("node.id", ""));

  /**
   * TLS is both files or neither: with only one of them the server would otherwise have started
   * in plaintext, silently, on a deployment that asked for encryption.
   */
  public ServerConfig {
    if (trustedProxies == null) trustedProxies = TrustedProxies.NONE;
    if (store == null) store = StoreSettings.embedded(dataDir);
    if (nodeId == null || nodeId.isBlank()) nodeId = defaultNodeId();
    if (!nodeId.matches("[A-Za-z0-9._:-]{1,64}")) {
      throw new IllegalArgumentException("node.id must be 1-64 letters, digits or . _ : -, got '" + nodeId + "'");
    }
    if (tlsCert != null && tlsKey == null) {
      throw new IllegalArgumentException("tls.key is not set but tls.cert is ('" + tlsCert + "'): set both for TLS, or neither for plaintext");
    }
    if (tlsKey != null && tlsCert == null) {
      throw new IllegalArgumentException("tls.cert is not set but tls.key is ('" + tlsKey + "'): set both for TLS, or neither for plaintext");
    }
  }

  /** True when TLS is configured: gRPC and REST then both serve only TLS. */
  public boolean tls() {
    return tlsCert != null;
  }

  /**
   * True when the server would listen in plaintext on an address other hosts can reach (anything
   * but loopback, including the wildcard {@code 0.0.0.0}): keys and memories would cross the
   * network unencrypted unless a TLS-terminating proxy sits in front.
   */
  public boolean plaintextBeyondLoopback() {
    if (tls()) return false;
    try {
      return !java.net.InetAddress.getByName(bindHost).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return true;
    }
  }

  public static ServerConfig forTests(Path dataDir) {
    return new ServerConfig(dataDir, "127.0.0.1", 0, 0, RelationshipMode.B2C, 2, 100_000, null, null, RateLimitSettings.DEFAULTS, TrustedProxies.NONE,
        DEFAULT_MAX_STREAMS_PER_KEY, DEFAULT_MAX_CALLS_PER_CONNECTION, StoreSettings.embedded(dataDir), null);
  }

  public ServerConfig withMode(RelationshipMode mode) {
    return new ServerConfig(dataDir, bindHost, grpcPort, httpPort, mode, extractWorkers, maxQueued, tlsCert, tlsKey, rateLimits, trustedProxies, maxStreamsPerKey, maxCallsPerConnection, store, nodeId);
  }

  public ServerConfig withPorts(int grpc, int http) {
    return new ServerConfig(dataDir, bindHost, grpc, http, relationshipMode, extractWorkers, maxQueued, tlsCert, tlsKey, rateLimits, trustedProxies, maxStreamsPerKey, maxCallsPerConnection, store, nodeId);
  }

  public ServerConfig withMaxQueued(long max) {
    return new ServerConfig(dataDir, bindHost, grpcPort, httpPort, relationshipMode, extractWorkers, max, tlsCert, tlsKey, rateLimits, trustedProxies, maxStreamsPerKey, maxCallsPerConnection, store, nodeId);
  }

  public ServerConfig withRateLimits(RateLimitSettings limits) {
    return new ServerConfig(dataDir, bindHost, grpcPort, httpPort, relationshipMode, extractWorkers, maxQueued, tlsCert, tlsKey, limits, trustedProxies, maxStreamsPerKey, maxCallsPerConnection, store, nodeId);
  }

  /** Caps on open Listen streams per API key and on calls per gRPC connection. */
  public ServerConfig withStreamLimits(int streamsPerKey, int callsPerConnection) {
    return new ServerConfig(dataDir, bindHost, grpcPort, httpPort, relationshipMode, extractWorkers, maxQueued, tlsCert, tlsKey, rateLimits,
        trustedProxies, streamsPerKey, callsPerConnection, store, nodeId);
  }

  /** gRPC and REST both serve TLS when a certificate chain and a PKCS#8 key (PEM files) are configured. */
  public ServerConfig withTls(Path cert, Path key) {
    return new ServerConfig(dataDir, bindHost, grpcPort, httpPort, relationshipMode, extractWorkers, maxQueued, cert, key, rateLimits, trustedProxies, maxStreamsPerKey, maxCallsPerConnection, store, nodeId);
  }

  /** The system of record: the embedded SQLite file, or a database by URL (PostgreSQL). */
  public ServerConfig withStore(StoreSettings s) {
    return new ServerConfig(dataDir, bindHost, grpcPort, httpPort, relationshipMode, extractWorkers, maxQueued, tlsCert, tlsKey, rateLimits, trustedProxies, maxStreamsPerKey, maxCallsPerConnection, s, nodeId);
  }

  /** Believes forwarding headers from these proxies when keying per-client budgets. */
  public ServerConfig withTrustedProxies(TrustedProxies proxies) {
    return new ServerConfig(dataDir, bindHost, grpcPort, httpPort, relationshipMode, extractWorkers, maxQueued, tlsCert, tlsKey, rateLimits, proxies, maxStreamsPerKey, maxCallsPerConnection, store, nodeId);
  }

  /** This node's name in the cluster (leases, heartbeats): unique per running process. */
  public ServerConfig withNodeId(String id) {
    return new ServerConfig(dataDir, bindHost, grpcPort, httpPort, relationshipMode, extractWorkers, maxQueued, tlsCert, tlsKey, rateLimits, trustedProxies, maxStreamsPerKey, maxCallsPerConnection, store, id);
  }

  /**
   * Host name and process id: unique among the processes of one cluster without configuration,
   * and readable in the store's lease columns when an operator asks who holds a message.
   */
  static String defaultNodeId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "node";
    }
    String clean = host.replaceAll("[^A-Za-z0-9.-]", "-");
    if (clean.length() > 40) clean = clean.substring(0, 40);
    return clean + "-" + ProcessHandle.current().pid();
  }

  /**
   * Resolves settings by precedence.
   *
   * @param flags keys given on the command line (null values are ignored)
   * @param env the process environment
   */
  public static ServerConfig resolve(Map<String, String> flags, Map<String, String> env) {
    Map<String, String> merged = new HashMap<>(DEFAULTS);
    String dataDir = firstNonBlank(flags.get("data.dir"), env.get("SYNAP_DATA_DIR"), DEFAULTS.get("data.dir"));
    Path configFile = Path.of(firstNonBlank(flags.get("config"), env.get("SYNAP_CONFIG"), Path.of(dataDir, "synap.properties").toString()));
    merged.putAll(readProperties(configFile));
    for (String key : DEFAULTS.keySet()) {
      String envValue = env.get("SYNAP_" + key.toUpperCase(Locale.ROOT).replace('.', '_'));
      if (envValue != null && !envValue.isBlank()) merged.put(key, envValue);
      String flag = flags.get(key);
      if (flag != null && !flag.isBlank()) merged.put(key, flag);
    }
    return new ServerConfig(
        Path.of(merged.get("data.dir")),
        merged.get("bind.host"),
        port(merged, "grpc.port"),
        port(merged, "http.port"),
        RelationshipMode.parse(merged.get("relationship.mode"))
            .orElseThrow(() -> new IllegalArgumentException("relationship.mode must be b2c or b2b")),
        positive(merged, "extract.workers"),
        positive(merged, "queue.max"),
        pathOrNull(merged.get("tls.cert")),
        pathOrNull(merged.get("tls.key")),
        new RateLimitSettings(
            rate(merged, "rate.key.per_second"), nonNegative(merged, "rate.key.burst"),
            rate(merged, "rate.instance.per_second"), nonNegative(merged, "rate.instance.burst"),
            rate(merged, "rate.refusals.per_second"), nonNegative(merged, "rate.refusals.burst")),
        TrustedProxies.parse(merged.get("trusted.proxies")),
        positive(merged, "listen.max_streams_per_key"),
        positive(merged, "grpc.max_calls_per_connection"),
        store(merged),
        merged.get("node.id"));
  }

  /**
   * {@code store.url} unset is the embedded store in the data folder. The password comes from
   * {@code store.password} or from the file {@code store.password_file} names (a mounted secret),
   * never both: which one would win is not obvious to whoever set them.
   */
  private static StoreSettings store(Map<String, String> m) {
    String password = m.get("store.password");
    String file = m.get("store.password_file");
    if (!password.isBlank() && !file.isBlank()) {
      throw new IllegalArgumentException("store.password and store.password_file are both set: set one of them");
    }
    if (!file.isBlank()) {
      try {
        password = Files.readString(Path.of(file)).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException("store.password_file: cannot read '" + file + "': " + e.getMessage(), e);
      }
    }
    String url = m.get("store.url").strip();
    if (!url.isEmpty() && !url.startsWith("jdbc:")) {
      throw new IllegalArgumentException("store.url must be a JDBC URL such as jdbc:postgresql://host:5432/synap, got '" + url + "'");
    }
    return new StoreSettings(Path.of(m.get("data.dir")), url.isEmpty() ? null : url, blankToNull(m.get("store.user")), blankToNull(password),
        positive(m, "store.pool_size"));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static Map<String, String> readProperties(Path file) {
    if (!Files.isRegularFile(file)) return Map.of();
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> out = new HashMap<>();
    for (String name : p.stringPropertyNames()) out.put(name, p.getProperty(name).strip());
    return out;
  }

  private static int port(Map<String, String> m, String key) {
    int v = integer(m, key);
    if (v < 0 || v > 65535) throw new IllegalArgumentException(key + " must be 0-65535");
    return v;
  }

  private static int positive(Map<String, String> m, String key) {
    int v = integer(m, key);
    if (v <= 0) throw new IllegalArgumentException(key + " must be positive");
    return v;
  }

  private static int nonNegative(Map<String, String> m, String key) {
    int v = integer(m, key);
    if (v < 0) throw new IllegalArgumentException(key + " must not be negative");
    return v;
  }

  /** Requests per second; 0 switches that limit off. */
  private static double rate(Map<String, String> m, String key) {
    try {
      double v = Double.parseDouble(m.get(key).strip());
      if (!(v >= 0) || Double.isInfinite(v)) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number of requests per second (0 = no limit), got '" + m.get(key) + "'");
    }
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static int integer(Map<String, String> m, String key) {
    try {
      return Integer.parseInt(m.get(key).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + m.get(key) + "'");
    }
  }

  private static Path pathOrNull(String s) {
    return s == null || s.isBlank() ? null : Path.of(s);
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) if (v != null && !v.isBlank()) return v;
    return null;
  }
}
