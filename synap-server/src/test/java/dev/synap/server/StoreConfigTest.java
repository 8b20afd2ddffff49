package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synap.core.store.StoreSettings;
import dev.synap.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the system of record lives: unset is the embedded store; a URL with credentials from the environment or a file. */
class StoreConfigTest {
  @TempDir Path dir;

  private Map<String, String> flags(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("data.dir", dir.toString());
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  @Test
  void unsetIsTheEmbeddedStoreInTheDataFolder() {
    StoreSettings s = ServerConfig.resolve(flags(), Map.of()).store();
    assertThat(s.isEmbedded()).isTrue();
    assertThat(s.dataDir()).isEqualTo(dir);
    assertThat(ServerConfig.forTests(dir).store().isEmbedded()).isTrue();
  }

  @Test
  void aUrlWithCredentialsFromTheEnvironmentOrAFile() throws Exception {
    StoreSettings s = ServerConfig.resolve(flags("store.url", "jdbc:postgresql://db:5432/synap"),
        Map.of("SYNAP_STORE_USER", "synap", "SYNAP_STORE_PASSWORD", "s3cret", "SYNAP_STORE_POOL_SIZE", "4")).store();
    assertThat(s.url()).isEqualTo("jdbc:postgresql://db:5432/synap");
    assertThat(s.user()).isEqualTo("synap");
    assertThat(s.password()).isEqualTo("s3cret");
    assertThat(s.poolSize()).isEqualTo(4);
    assertThat(s.toString()).doesNotContain("s3cret");
    assertThat(ServerConfig.resolve(flags("store.url", "jdbc:postgresql://db/synap?user=u&password=s3cret&ssl=true"), Map.of()).store().toString())
        .doesNotContain("s3cret").contains("ssl=true");

    Path secret = Files.writeString(dir.resolve("db-password"), "from-file\n");
    StoreSettings f = ServerConfig.resolve(flags(), Map.of("SYNAP_STORE_URL", "jdbc:postgresql://db/synap",
        "SYNAP_STORE_PASSWORD_FILE", secret.toString())).store();
    assertThat(f.password()).isEqualTo("from-file");
  }

  @Test
  void conflictingOrMalformedSettingsNameTheKey() {
    assertThatThrownBy(() -> ServerConfig.resolve(flags("store.url", "postgres://db/synap"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store.url");
    assertThatThrownBy(() -> ServerConfig.resolve(flags(), Map.of("SYNAP_STORE_PASSWORD", "a", "SYNAP_STORE_PASSWORD_FILE", "/x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store.password_file");
    assertThatThrownBy(() -> ServerConfig.resolve(flags(), Map.of("SYNAP_STORE_PASSWORD_FILE", dir.resolve("missing").toString())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store.password_file");
    assertThatThrownBy(() -> dev.synap.core.store.Stores.open(ServerConfig.resolve(flags("store.url", "jdbc:mysql://db/synap"), Map.of()).store()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:mysql:");
  }
}
