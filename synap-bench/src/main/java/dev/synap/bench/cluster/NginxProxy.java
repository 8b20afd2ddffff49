package dev.synap.bench.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * nginx in front of several server nodes, as a deployment runs them: {@code grpc_pass} (HTTP/2
 * cleartext) for the gRPC port, {@code proxy_pass} for REST, the nodes as upstreams, passive
 * failover (a node that refuses or drops a connection is skipped for the next try and marked
 * down for a few seconds), and timeouts long enough for Listen streams that stay open for hours.
 *
 * <p>It runs as its own unprivileged process (as user {@code nobody} when started by root, as CI
 * does) from a generated configuration in a temporary folder, on free loopback ports; nothing of
 * the system's nginx installation is used but the binary. {@link #config} is the sample the README
 * shows.
 */
public final class NginxProxy implements AutoCloseable {
  /** Where Debian's package puts the binary. */
  static final Path BINARY = Path.of("/usr/sbin/nginx");

  private final Process process;
  private final Path dir;
  private final int grpcPort;
  private final int httpPort;

  private NginxProxy(Process process, Path dir, int grpcPort, int httpPort) {
    this.process = process;
    this.dir = dir;
    this.grpcPort = grpcPort;
    this.httpPort = httpPort;
  }

  /** The nginx binary, when installed (the one line a skipped test prints says how to get it otherwise). */
  public static Optional<Path> binary() {
    return Files.isExecutable(BINARY) ? Optional.of(BINARY) : Optional.empty();
  }

  /** A node's two ports, as nginx reaches them. */
  public record Upstream(String host, int grpcPort, int httpPort) {}

  /**
   * The configuration for these upstreams; {@code dir} holds the pid, logs and temporary files.
   * Public so the README's sample and a deployment's file come from one place.
   */
  public static String config(Path dir, int grpcPort, int httpPort, List<Upstream> nodes) {
    StringBuilder grpc = new StringBuilder();
    StringBuilder http = new StringBuilder();
    for (Upstream n : nodes) {
      // max_fails=1 fail_timeout=3s: one refused connection marks the node down for 3 s (passive
      // failover; nginx has no active health checks in its open-source build).
      grpc.append("    server ").append(n.host()).append(':').append(n.grpcPort()).append(" max_fails=1 fail_timeout=3s;\n");
      http.append("    server ").append(n.host()).append(':').append(n.httpPort()).append(" max_fails=1 fail_timeout=3s;\n");
    }
    String d = dir.toAbsolutePath().toString();
    return """
        worker_processes 1;
        daemon off;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        worker_rlimit_nofile 65536;
        events { worker_connections 16384; }
        http {
          access_log off;
          client_body_temp_path %1$s/tmp/body;
          proxy_temp_path %1$s/tmp/proxy;
          fastcgi_temp_path %1$s/tmp/fastcgi;
          uwsgi_temp_path %1$s/tmp/uwsgi;
          scgi_temp_path %1$s/tmp/scgi;
          upstream synap_grpc {
        %2$s    keepalive 64;
          }
          upstream synap_http {
        %3$s    keepalive 64;
          }
          # gRPC (Listen streams, telemetry): HTTP/2 cleartext on both sides. A stream is one
          # request whose body never ends, so the body size is unlimited and the read/send/body
          # timeouts are an hour (a quiet stream still pings well within that); nginx opens one
          # upstream connection per stream.
          server {
            listen 127.0.0.1:%4$d http2;
            client_max_body_size 0;
            client_body_timeout 1h;
            keepalive_timeout 1h;
            keepalive_requests 1000000;
            http2_max_concurrent_streams 10000;
            location / {
              grpc_pass grpc://synap_grpc;
              grpc_connect_timeout 2s;
              grpc_read_timeout 1h;
              grpc_send_timeout 1h;
              grpc_socket_keepalive on;
              # A node that is down: the call goes to the next one (only before anything was sent).
              grpc_next_upstream error timeout http_502 http_503;
              grpc_next_upstream_tries 3;
            }
          }
          # REST. POSTs are retried on another node only when the connection failed before the
          # request went out (nginx's default for non-idempotent requests): no double record.
          server {
            listen 127.0.0.1:%5$d;
            client_max_body_size 16m;
            location / {
              proxy_pass http://synap_http;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_set_header Host $host;
              proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
              proxy_connect_timeout 2s;
              proxy_read_timeout 300s;
              proxy_request_buffering off;
              proxy_next_upstream error timeout http_502 http_503;
              proxy_next_upstream_tries 3;
            }
          }
        }
        """.formatted(d, grpc, http, grpcPort, httpPort);
  }

  /** Starts nginx on two free loopback ports in front of {@code nodes}; waits until both ports accept connections. */
  public static NginxProxy start(Path dir, List<Upstream> nodes) throws IOException, InterruptedException {
    Path nginx = binary().orElseThrow(() -> new IllegalStateException("nginx is not installed (" + BINARY + "): apt-get install nginx-light"));
    Files.createDirectories(dir.resolve("tmp"));
    int grpc = freePort();
    int http = freePort();
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(conf, config(dir, grpc, http, nodes), StandardCharsets.UTF_8);
    List<String> cmd = new ArrayList<>();
    if (isRoot()) {
      // Never a root master process in tests: run it all as nobody, with the folder made theirs.
      for (Path p : List.of(dir, dir.resolve("tmp"), conf)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxrwxrwx" : "rw-rw-rw-"));
      openPathForOthers(dir);
      cmd.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
    }
    cmd.addAll(List.of(nginx.toString(), "-p", dir.toString(), "-c", conf.toString(), "-e", dir.resolve("error.log").toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
    NginxProxy proxy = new NginxProxy(p, dir, grpc, http);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!(accepts(grpc) && accepts(http))) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        proxy.close();
        throw new IllegalStateException("nginx did not start: " + proxy.log());
      }
      Thread.sleep(20);
    }
    return proxy;
  }

  public int grpcPort() {
    return grpcPort;
  }

  public int httpPort() {
    return httpPort;
  }

  public String httpBase() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** nginx's own output and error log (why it did not start, which upstream failed). */
  public String log() {
    StringBuilder sb = new StringBuilder();
    for (String f : List.of("nginx.out", "error.log")) {
      try {
        Path p = dir.resolve(f);
        if (Files.exists(p)) sb.append(Files.readString(p, StandardCharsets.UTF_8));
      } catch (IOException e) {
        sb.append("(cannot read ").append(f).append(": ").append(e.getMessage()).append(")");
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: nginx's fast shutdown
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Workers are children of the master; SIGTERM to the master takes them down with it.
    process.descendants().forEach(ProcessHandle::destroyForcibly);
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** nobody must be able to reach the folder: every parent gets the search (x) bit for others. */
  private static void openPathForOthers(Path dir) throws IOException {
    for (Path p = dir.toAbsolutePath().getParent(); p != null && p.getParent() != null; p = p.getParent()) {
      var perms = new java.util.HashSet<>(Files.getPosixFilePermissions(p));
      if (perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) Files.setPosixFilePermissions(p, perms);
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
