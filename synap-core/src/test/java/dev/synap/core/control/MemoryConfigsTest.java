package dev.synap.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synap.core.InvalidInputException;
import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which configuration a message is extracted under: immediate applies to everything from now, graceful only to messages recorded after it. */
class MemoryConfigsTest {
  @TempDir Path dir;

  @Test
  void gracefulApplyKeepsMessagesRecordedBeforeItOnThePreviousVersion() throws Exception {
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(dir)) {
      MemoryConfigs configs = new MemoryConfigs(store.memoryConfigs(), store.control());
      assertThat(configs.configured("inst_a")).isFalse();
      assertThat(configs.active("inst_a").confidenceThreshold()).isZero();
      Instant before = Instant.now();
      configs.apply("t", "inst_a", configs.init("t", "inst_a", "confidence_threshold: 0.9", "api", null).stored().version(), "immediate", null);
      assertThat(configs.forMessage("inst_a", before).confidenceThreshold()).as("immediate: earlier messages too").isEqualTo(0.9);

      Thread.sleep(5);
      Instant queuedBeforeGraceful = Instant.now();
      Thread.sleep(5);
      configs.apply("t", "inst_a", configs.init("t", "inst_a", "{\"confidence_threshold\": 0.5}", "api", null).stored().version(), "graceful", null);
      Thread.sleep(5);
      assertThat(configs.forMessage("inst_a", queuedBeforeGraceful).confidenceThreshold()).isEqualTo(0.9);
      assertThat(configs.forMessage("inst_a", Instant.now()).confidenceThreshold()).isEqualTo(0.5);
      assertThat(configs.active("inst_a").confidenceThreshold()).isEqualTo(0.5);

      configs.rollback("t", "inst_a", 1, "back");
      assertThat(configs.forMessage("inst_a", queuedBeforeGraceful).confidenceThreshold()).isEqualTo(0.9);
      assertThat(configs.versions("inst_a")).hasSize(3);
      assertThat(configs.active("inst_b")).isSameAs(MemoryConfig.UNCONFIGURED);
    }
  }

  @Test
  void configurationTextIsJsonOrYamlWithDefaultsAndRefusesUnknownOrOutOfRangeFields() {
    MemoryConfig yaml = MemoryConfig.parse("retention:\n  max_memory_age_days: 0\nanticipation:\n  enabled: false\n");
    assertThat(yaml.maxMemoryAgeDays()).isZero();
    assertThat(yaml.anticipation().enabled()).isFalse();
    assertThat(yaml.confidenceThreshold()).isEqualTo(0.7);
    assertThat(MemoryConfig.parse(yaml.toJson().toString())).isEqualTo(yaml);
    assertThatThrownBy(() -> MemoryConfig.parse("{\"confidence_threshold\": 2}")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> MemoryConfig.parse("{\"retention\": {\"days\": 3}}")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("retention.days");
    assertThatThrownBy(() -> MemoryConfig.parse("{\"never_remember\": {\"patterns\": [\"([\"]}}")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> MemoryConfig.parse("retrieval: {default_mode: slow}")).isInstanceOf(InvalidInputException.class);
  }
}
