package dev.synap.server;

import dev.synap.core.MemoryEngine;
import dev.synap.core.anticipate.Predictor;
import dev.synap.core.compact.CompactionSettings;
import dev.synap.core.store.Stores;
import dev.synap.core.tenant.Tenancy;
import dev.synap.server.auth.Authenticator;
import dev.synap.server.auth.GrpcAuthInterceptor;
import dev.synap.server.config.ServerConfig;
import dev.synap.server.grpc.SynapGrpcService;
import dev.synap.server.console.ConsoleRoutes;
import dev.synap.server.http.OpenApi;
import dev.synap.server.http.Readiness;
import dev.synap.server.http.HttpMount;
import dev.synap.server.http.RestApi;
import dev.synap.server.limit.GrpcCallLimiter;
import dev.synap.server.limit.GrpcConnectionLimiter;
import dev.synap.server.limit.GrpcRefusalLimiter;
import dev.synap.server.limit.RateLimits;
import dev.synap.server.metrics.IngestMetrics;
import dev.synap.server.telemetry.ClientTelemetry;
import dev.synap.server.tls.PemKeyStore;
import dev.synap.server.webhook.WebhookDispatcher;
import dev.synap.server.webhook.WebhookPublisher;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Synap node: the memory engine behind a gRPC port (Listen, IngestTelemetry) and a REST port.
 * {@link #start} returns once both ports accept connections; {@link #close} shuts down
 * gracefully (streams get a {@code closing} signal, in-flight work drains, the store checkpoints).
 */
public final class SynapServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SynapServer.class);

  private final ServerConfig config;
  private final MemoryEngine engine;
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ExecutorService grpcExecutor = Executors.newVirtualThreadPerTaskExecutor();
  private final SynapGrpcService grpcService;
  private final Server grpc;
  private final RestApi rest;
  private final ConsoleRoutes console;
  /** A console session unused this long is signed out. */
  static final java.time.Duration CONSOLE_IDLE = java.time.Duration.ofMinutes(15);
  private final Optional<Tenancy.NewKey> bootstrapKey;
  private final Authenticator authenticator;
  private final Thread revocationWatcher;
  private final WebhookDispatcher webhookDispatcher;
  private final WebhookPublisher webhooks;
  private volatile boolean closed;
  /**
   * A stream with no frame (not even a heartbeat ping, sent every 30 s) for this long is dead:
   * its client vanished without closing it. Env {@code SYNAP_STREAM_IDLE_SECONDS}, default 90.
   */
  private volatile java.time.Duration streamIdleTimeout = java.time.Duration.ofSeconds(
      Long.parseLong(System.getenv().getOrDefault("SYNAP_STREAM_IDLE_SECONDS", "90")));

  private final dev.synap.core.store.ClusterBus bus;
  private final RateLimits limits;
  /** A node missing heartbeats this long no longer counts among those sharing the rate budgets. */
  static final java.time.Duration NODE_WINDOW = java.time.Duration.ofSeconds(15);

  private SynapServer(ServerConfig config, List<HttpMount> mounts, dev.synap.core.store.ClusterBus bus) {
    this.config = config;
    warnIfPlaintextBeyondLoopback(config);
    // The store comes from the settings (embedded SQLite unless store.url names a database).
    this.engine = MemoryEngine.open(Stores.open(config.store()),
        new MemoryEngine.Config(config.dataDir(), config.extractWorkers(), config.maxQueued()).withNodeId(config.nodeId()),
        MemoryEngine.RetrievalConfig.defaults(), CompactionSettings.fromEnvironment(System.getenv()));
    this.bootstrapKey = engine.tenancy().bootstrap(config.relationshipMode()).firstKey();
    this.authenticator = new Authenticator(engine.tenancy());
    KeyStore restTls;
    try {
      restTls = config.tls() ? PemKeyStore.load(config.tlsCert(), config.tlsKey()) : null;
    } catch (IllegalArgumentException e) {
      engine.close();
      throw e;
    }
    meters.gauge("synap.ingest.queue_depth", engine.ingest(), p -> p.queueDepth());
    // Index durability: failed batches are retried (never dropped); a rebuild or replay shows on restart.
    meters.more().counter("synap.index.failed_batches", List.of(), engine.index(), i -> i.stats().failedBatches());
    meters.gauge("synap.index.set_aside", engine.index(), i -> i.stats().setAside());
    meters.more().counter("synap.index.commits", List.of(), engine.index(), i -> i.stats().commits());
    meters.more().counter("synap.index.rebuilds", List.of(), engine.index(), i -> i.stats().rebuilds());
    meters.more().counter("synap.index.replayed", List.of(), engine.index(), i -> i.stats().replayed());
    IngestMetrics.bind(engine.ingest(), meters);
    RateLimits limits = new RateLimits(config.rateLimits(), meters);
    this.limits = limits;
    ClientTelemetry telemetry = new ClientTelemetry(meters, engine.usage());
    this.webhookDispatcher = new WebhookDispatcher(engine.store().webhooks(), config.webhooks(), java.time.Clock.systemUTC());
    this.webhooks = new WebhookPublisher(engine.store().webhooks(), webhookDispatcher, java.time.Clock.systemUTC());
    webhooks.listen(engine);
    this.grpcService = new SynapGrpcService(engine, meters, limits, telemetry, config.maxStreamsPerKey());
    // Several nodes on one store hear of each other's writes on the store's bus; one node has none.
    this.bus = bus != null ? bus : engine.store().openBus(config.nodeId());
    new dev.synap.server.grpc.ClusterRelay(engine, this.bus, config.nodeId(), grpcService);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(config.bindHost(), config.grpcPort()))
        .executor(grpcExecutor)
        // The official client pings every 30 s even with no call open; grpc-java's default
        // enforcement (5 min, no pings without calls) would answer with GOAWAY too_many_pings.
        .permitKeepAliveTime(10, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .keepAliveTime(60, TimeUnit.SECONDS)
        .keepAliveTimeout(20, TimeUnit.SECONDS)
        .maxInboundMessageSize(4 * 1024 * 1024)
        // HTTP/2's cap only makes a client wait for a slot; GrpcConnectionLimiter answers the call
        // beyond the configured cap with a status first, so this one sits above it as a backstop.
        .maxConcurrentCallsPerConnection(config.maxCallsPerConnection() + Math.max(16, config.maxCallsPerConnection() / 10))
        // Applied last to first: calls beyond a connection's cap and refused peers are turned away
        // before the key check, and a call's budget is spent only once its key is known.
        .addService(ServerInterceptors.intercept(grpcService.definition(),
            new GrpcCallLimiter(limits), new GrpcAuthInterceptor(authenticator), new GrpcRefusalLimiter(limits, authenticator, config.trustedProxies()),
            new GrpcConnectionLimiter(config.maxCallsPerConnection())));
    if (config.tls()) {
      builder.useTransportSecurity(config.tlsCert().toFile(), config.tlsKey().toFile());
    }
    try {
      this.grpc = builder.build().start();
    } catch (IOException e) {
      this.bus.close();
      engine.close();
      throw new UncheckedIOException("cannot listen for gRPC on " + config.bindHost() + ":" + config.grpcPort() + ": " + e.getMessage(), e);
    }
    // The console signs in admin keys through the control plane (actor named as the admin API names it)
    // and writes its changes to the same audit_log the admin API writes to.
    ConsoleRoutes.AdminKeys adminKeys = new ConsoleRoutes.AdminKeys() {
      public Optional<String> signIn(String secret) {
        return engine.control().authenticateAdmin(secret).map(a -> "admin:" + a.keyId());
      }

      public boolean active(String keyHash) {
        return engine.control().adminKeyActive(keyHash);
      }
    };
    this.console = new ConsoleRoutes(engine, authenticator, adminKeys, engine.control()::audit, limits, config.trustedProxies(), meters, OpenApi.document(), config.tls(), CONSOLE_IDLE, webhooks);
    this.rest = new RestApi(engine, authenticator, limits, config.trustedProxies(), new Readiness(engine, config.dataDir()), meters,
        meters::scrape, telemetry, restTls, mounts, console, webhooks).start(config.bindHost(), config.httpPort());
    this.revocationWatcher = Thread.ofVirtual().name("synap-revocation").start(this::watchRevocations);
  }

  /** One loud line, not a refusal: behind a TLS-terminating proxy, plaintext on a LAN address is a valid setup. */
  static void warnIfPlaintextBeyondLoopback(ServerConfig config) {
    if (config.plaintextBeyondLoopback()) {
      LOG.warn("PLAINTEXT on {}: API keys and memories cross the network unencrypted; set tls.cert and tls.key, "
          + "or keep a TLS-terminating proxy in front and bind.host on loopback", config.bindHost());
    }
  }

  public static SynapServer start(ServerConfig config) {
    return new SynapServer(config, List.of(), null);
  }

  /** A server that also serves {@code mounts} on its REST port (e.g. the MCP endpoint). */
  public static SynapServer start(ServerConfig config, List<HttpMount> mounts) {
    return new SynapServer(config, List.copyOf(mounts), null);
  }

  /**
   * As {@link #start(ServerConfig)}, hearing other nodes on {@code bus} instead of the store's own
   * (several nodes in one JVM: {@link dev.synap.core.store.ClusterBus#inProcess}).
   */
  public static SynapServer start(ServerConfig config, dev.synap.core.store.ClusterBus bus) {
    return new SynapServer(config, List.of(), bus);
  }

  /** The first key, when this start created the instance; empty on later starts. */
  public Optional<Tenancy.NewKey> bootstrapKey() {
    return bootstrapKey;
  }

  public int grpcPort() {
    return grpc.getPort();
  }

  public int httpPort() {
    return rest.port();
  }

  /** The REST routes this node registered, as "METHOD /path". */
  public List<String> restRoutes() {
    return rest.registeredRoutes();
  }

  public MemoryEngine engine() {
    return engine;
  }

  public ServerConfig config() {
    return config;
  }

  /** How long a silent stream lives before it is reaped (tests shorten it). */
  public void streamIdleTimeout(java.time.Duration timeout) {
    this.streamIdleTimeout = timeout;
  }

  /** How long an {@code IngestTelemetry} call may stay open (default 30 s; tests shorten it). */
  public void telemetryCallTimeout(java.time.Duration timeout) {
    grpcService.telemetryTimeout(timeout);
  }

  /**
   * Chooses the predictor for streams opened from now on: benchmarks compare baselines with the
   * product's ({@link #planner()}) in one run; {@link Predictor#NONE} turns anticipation off.
   */
  public void predictor(Predictor predictor) {
    grpcService.predictor(predictor);
  }

  /** The product's predictor. */
  public Predictor planner() {
    return grpcService.planner();
  }

  public int openStreams() {
    return grpcService.openStreams();
  }

  private void watchRevocations() {
    while (!closed) {
      try {
        Thread.sleep(2_000);
        authenticator.refreshKeyPrefixes();
        // Several nodes on one store: say this one is alive, and take 1/N of the rate budgets.
        if (engine.store().shared()) limits.nodes(engine.store().heartbeat(config.nodeId(), NODE_WINDOW));
        HashSet<String> revoked = new HashSet<>(engine.store().tenants().revokedKeyHashes());
        int n = grpcService.closeRevoked(revoked);
        revoked.forEach(console::keyRevoked);
        if (n > 0) LOG.info("closed {} streams of revoked keys", n);
        int idle = grpcService.closeIdle(streamIdleTimeout.toMillis());
        if (idle > 0) LOG.info("closed {} streams silent for more than {} s", idle, streamIdleTimeout.toSeconds());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!closed) LOG.warn("revocation check failed: {}", e.getMessage());
      }
    }
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    revocationWatcher.interrupt();
    grpcService.closeAll("server shutting down");
    grpc.shutdown();
    rest.stop();
    console.close();
    try {
      if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) grpc.shutdownNow();
    } catch (InterruptedException e) {
      grpc.shutdownNow();
      Thread.currentThread().interrupt();
    }
    grpcExecutor.shutdown();
    grpcService.awaitRecorded(java.time.Duration.ofSeconds(10));
    bus.close();
    webhookDispatcher.close();
    engine.close();
    meters.close();
  }
}
