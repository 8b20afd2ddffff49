package dev.synap.cli;

import dev.synap.bench.locomo.LocomoData;
import dev.synap.sdk.Memory;
import dev.synap.sdk.RecordMessage;
import dev.synap.sdk.Synap;
import dev.synap.server.SynapServer;
import dev.synap.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code synap ingest-locomo}: loads a LoCoMo file through the real server (REST batches, session
 * dates as timestamps, speaker and dia_id in metadata), waits for extraction, and prints memory
 * counts by type, entities found and the time taken. Against a running server with
 * {@code --base-url/--api-key}, or on an embedded one in {@code --data-dir}.
 */
@Command(name = "ingest-locomo", mixinStandardHelpOptions = true, description = "Ingest a LoCoMo file through the server and report what was extracted.")
final class IngestLocomoCommand implements Callable<Integer> {
  @Option(names = "--data", paramLabel = "FILE", description = "LoCoMo JSON file (data/locomo10.json from " + LocomoData.PUBLISHED_AT + ", or a subset of its samples).")
  Path data;

  @Option(names = "--base-url", description = "A running server's REST base URL (default: start an embedded server).")
  String baseUrl;

  @Option(names = "--api-key", description = "API key for --base-url (env SYNAP_API_KEY).")
  String apiKey;

  @Option(names = "--data-dir", description = "Data folder of the embedded server (default: a new temporary folder).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    if (!LocomoData.given(data, "synap ingest-locomo")) return 2;
    long start = System.nanoTime();
    SynapServer embedded = null;
    String url = baseUrl;
    String key = apiKey != null ? apiKey : System.getenv("SYNAP_API_KEY");
    if (url == null) {
      Path dir = dataDir != null ? dataDir : Files.createTempDirectory("synap-locomo");
      embedded = SynapServer.start(ServerConfig.forTests(dir));
      url = "http://127.0.0.1:" + embedded.httpPort();
      key = embedded.engine().tenancy().createKey(embedded.engine().tenancy().instances().getFirst().instanceId(), "ingest-locomo").secret();
      System.err.println("embedded server on " + url + ", data in " + dir);
    }
    if (key == null) throw new IllegalArgumentException("--api-key (or SYNAP_API_KEY) is required with --base-url");
    List<LocomoData.Conversation> conversations = LocomoData.read(data);
    int total = conversations.stream().mapToInt(LocomoData.Conversation::turnCount).sum();
    int done = 0;
    try (Synap synap = Synap.builder().apiKey(key).baseUrl(url).requestTimeout(Duration.ofSeconds(120)).build()) {
      for (LocomoData.Conversation c : conversations) {
        String conv = UUID.nameUUIDFromBytes(c.sampleId().getBytes(StandardCharsets.UTF_8)).toString();
        for (LocomoData.Session s : c.sessions()) {
          List<RecordMessage> batch = new ArrayList<>();
          int k = 0;
          for (LocomoData.Turn t : s.turns()) {
            batch.add(RecordMessage.of(conv, t.speaker().equals(c.speakerA()) ? "user" : "assistant", t.textWithCaption())
                .userId(c.sampleId()).sessionId("session_" + s.number()).metadata("speaker", t.speaker()).metadata("dia_id", t.diaId())
                .timestamp(s.at().toInstant(ZoneOffset.UTC).plusSeconds(k++)).idempotencyKey(c.sampleId() + ":" + t.diaId()).build());
          }
          synap.conversation().recordMessagesBatch(batch);
          done += batch.size();
          progress("recording", done, total);
        }
      }
      System.err.println();
      awaitExtraction(embedded, url);
      Map<String, Integer> byType = new TreeMap<>();
      int memories = 0;
      for (LocomoData.Conversation c : conversations) {
        for (int offset = 0; ; offset += 500) {
          List<Memory> page = synap.memories().list(c.sampleId(), null, 500, offset, false).memories();
          for (Memory m : page) byType.merge(m.memoryType(), 1, Integer::sum);
          memories += page.size();
          if (page.size() < 500) break;
        }
      }
      int entities = entities(url, key);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("%n%d conversations, %d turns -> %d current memories, %d entities, in %.1f s (%.0f turns/s)%n",
          conversations.size(), total, memories, entities, seconds, total / seconds);
      System.out.printf("%-16s %8s%n", "memory type", "count");
      byType.forEach((type, n) -> System.out.printf("%-16s %8d%n", type, n));
    } finally {
      if (embedded != null) embedded.close();
    }
    return 0;
  }

  /** Waits until the server's extraction queue is empty (and, when embedded, the index too). */
  private static void awaitExtraction(SynapServer embedded, String url) throws Exception {
    if (embedded != null) {
      while (!embedded.engine().awaitIdle(Duration.ofSeconds(1))) {
        System.err.printf("\rextracting: %d messages queued   ", embedded.engine().ingest().queueDepth());
      }
      System.err.println();
      return;
    }
    HttpClient http = HttpClient.newHttpClient();
    while (true) {
      String body = http.send(HttpRequest.newBuilder(URI.create(url + "/ready")).build(), HttpResponse.BodyHandlers.ofString()).body();
      long depth = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("queue_depth").asLong();
      System.err.printf("\rextracting: %d messages queued   ", depth);
      if (depth == 0) break;
      Thread.sleep(500);
    }
    System.err.println();
  }

  private static int entities(String url, String key) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/api/v1/entities"))
        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("total").asInt();
  }

  static void progress(String label, int done, int total) {
    int pct = (int) (100L * done / Math.max(1, total));
    System.err.printf("\r%-10s [%-40s] %3d%% %d/%d", label, "#".repeat(pct * 40 / 100), pct, done, total);
  }
}
