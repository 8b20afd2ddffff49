package dev.synap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.MemoryEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code admin create-key} prints the admin credential once (stored hashed); {@code instances} mirrors the admin API. */
class AdminAndInstancesCommandTest {
  @TempDir Path dir;
  static final ObjectMapper JSON = new ObjectMapper();

  private String run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = Main.commandLine().execute(args);
      assertThat(code).as("exit code of %s", String.join(" ", args)).isZero();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void adminCreateKeyPrintsOnlyTheSecretWhichThenAuthenticatesAndIsListedWithoutIt() {
    String secret = run("admin", "create-key", "--data-dir", dir.toString(), "--label", "ops").strip();
    assertThat(secret).matches("sk_admin_[0-9a-f]{40}");
    String list = run("admin", "list-keys", "--data-dir", dir.toString());
    assertThat(list).contains("ops").contains(secret.substring(0, 15)).doesNotContain(secret);
    try (MemoryEngine engine = MemoryEngine.openForAdmin(dir)) {
      assertThat(engine.control().authenticateAdmin(secret)).isPresent();
      assertThat(engine.tenancy().authenticate(secret)).as("never an instance key").isEmpty();
    }
    run("admin", "revoke-key", "--data-dir", dir.toString(), secret.substring(0, 15));
    try (MemoryEngine engine = MemoryEngine.openForAdmin(dir)) {
      assertThat(engine.control().authenticateAdmin(secret)).isEmpty();
    }
  }

  @Test
  void instancesCreateListGetUpdateArchiveDelete() throws Exception {
    JsonNode created = JSON.readTree(run("instances", "create", "--data-dir", dir.toString(), "--name", "bot", "--mode", "b2b",
        "--metadata", "{\"team\":\"a\"}"));
    String id = created.get("instance_id").asText();
    assertThat(id).matches("inst_[0-9a-f]{16}");
    assertThat(created.get("user_context_isolation").asText()).isEqualTo("b2b");
    assertThat(run("instances", "list", "--data-dir", dir.toString())).contains(id);
    JsonNode got = JSON.readTree(run("instances", "get", "--data-dir", dir.toString(), id));
    assertThat(got.get("memory_count").asLong()).isZero();
    JsonNode updated = JSON.readTree(run("instances", "update", "--data-dir", dir.toString(), id, "--name", "bot2", "--reason", "rename"));
    assertThat(updated.get("name").asText()).isEqualTo("bot2");
    assertThat(JSON.readTree(run("instances", "archive", "--data-dir", dir.toString(), id)).get("status").asText()).isEqualTo("archived");
    run("instances", "delete", "--data-dir", dir.toString(), id);
    assertThat(run("instances", "list", "--data-dir", dir.toString(), "--include-archived")).doesNotContain(id);
  }
}
