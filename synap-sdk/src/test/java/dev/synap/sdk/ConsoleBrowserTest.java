package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.synap.core.tenant.Tenancy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator console in a real browser: Debian's headless Chromium driven by playwright-core
 * (interop/console-browser/console.mjs) against a real server holding data recorded through the
 * SDK. Signs in, finds a user, sees a memory and its history, sees a supersession made through
 * the API, checks every page's accessibility (labels, names, keyboard), rotates a key, drafts a
 * memory configuration from a brief (review flags, dry run, graceful apply), deletes an archived
 * instance, and revokes a key, after which the SDK gets {@link AuthenticationException}. Screenshots land in
 * {@code target/console-screenshots/}. Skipped, with one line, without Chromium or node_modules.
 */
class ConsoleBrowserTest {
  @TempDir Path dir;

  @Test
  void signInFindAUserSeeHistoryAndSupersessionRevokeAKey() throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    Path folder = root.resolve("interop/console-browser");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isDirectory(folder.resolve("node_modules")),
        "console browser test needs /usr/bin/chromium and `npm ci` in interop/console-browser (done by .ci/run)");
    Path shots = Path.of("target/console-screenshots").toAbsolutePath();
    try (TestServer ts = new TestServer(dir)) {
      Tenancy tenancy = ts.server.engine().tenancy();
      Tenancy.NewKey sdkKey = tenancy.createKey(tenancy.instances().getFirst().instanceId(), "sdk-under-test");
      String conversation = UUID.randomUUID().toString();
      try (Synap synap = ts.client(sdkKey.secret())) {
        synap.conversation().recordMessage(RecordMessage.user(conversation, "I live in Paris with my partner.").userId("alice")
            .metadata("speaker", "Alice").timestamp(java.time.Instant.parse("2023-05-08T10:00:00Z")).build());
        synap.conversation().recordMessage(RecordMessage.user(UUID.randomUUID().toString(), "My cello lessons are on Tuesdays.").userId("bob").build());
        ts.awaitIngested();
        assertThat(synap.user().context().fetch(FetchRequest.forUser("alice").query("where do I live").build()).formattedContext()).contains("Paris");

        String admin = ConsoleAdmin.key(ts.server);
        Process p = new ProcessBuilder("node", folder.resolve("console.mjs").toString(), "http://127.0.0.1:" + ts.server.httpPort(), ts.key,
            admin == null ? "" : admin, sdkKey.info().prefix(), shots.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).isTrue();
        System.out.println(out);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("\"step\":\"superseded\"").contains("\"step\":\"done\"")
            .contains("\"name\":\"sign-in\"").contains("\"name\":\"user-memories\"").contains("\"name\":\"live-figures\"").contains("\"name\":\"api-reference\"");
        assertThat(shots.resolve("01-sign-in.png")).exists();
        if (admin != null) {
          assertThat(out).contains("\"step\":\"revoked\"").contains("\"step\":\"key-created\"").contains("\"name\":\"memory-config\"")
              .contains("\"name\":\"webhooks\"").contains("\"step\":\"key-rotated\"").contains("\"name\":\"memory-config-version\"")
              .contains("\"name\":\"memory-config-dry-run\"").contains("\"step\":\"config-applied\"").contains("\"name\":\"instance-delete\"")
              .contains("\"step\":\"instance-deleted\"");
          assertThatThrownBy(() -> synap.user().context().fetch(FetchRequest.forUser("alice").query("where do I live").build()))
              .isInstanceOf(AuthenticationException.class);
        }
      }
    }
  }
}
