package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /ready} says ready only while the store takes writes and the search index is open. */
class ReadinessTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void aHealthyNodeIsReady() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      HttpResponse<String> r = rs.get("/ready", null);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).path("status").asText()).isEqualTo("ready");
    }
  }

  @Test
  void aStoreFolderThatTakesNoWriteIsNotReady() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      // Root ignores permissions, so the write is made to fail another way: a folder where the probe file goes.
      Path blocker = dir.resolve(".ready-probe");
      Files.createDirectories(blocker);
      Files.writeString(blocker.resolve("keep"), "x");
      HttpResponse<String> r = rs.get("/ready", null);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.path("code").asText()).isEqualTo("not_ready");
      assertThat(body.path("detail").asText()).contains("not writable");
      assertThat(r.headers().firstValue("Retry-After")).hasValue("1");

      Files.delete(blocker.resolve("keep"));
      Files.delete(blocker);
      Thread.sleep(1_100); // the answer is kept for a second
      assertThat(rs.get("/ready", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aClosedSearchIndexIsNotReady() throws Exception {
    RunningServer rs = new RunningServer(dir);
    try {
      String instance = rs.server.engine().tenancy().authenticate(rs.key).orElseThrow().instanceId();
      rs.server.engine().index().forInstance(instance).close();
      HttpResponse<String> r = rs.get("/ready", null);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
      assertThat(JSON.readTree(r.body()).path("detail").asText()).contains("search index").doesNotContain(instance);
    } finally {
      try {
        rs.close();
      } catch (RuntimeException indexClosedByThisTest) {
        // the engine's own close meets the index this test closed underneath it
      }
    }
  }
}
