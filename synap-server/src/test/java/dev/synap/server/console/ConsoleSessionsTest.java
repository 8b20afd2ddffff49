package dev.synap.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Sessions end after the idle timeout (each use restarts it), on sign-out, and when their key is revoked. */
class ConsoleSessionsTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }
  };
  private final ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(15), clock);

  @Test
  void anIdleSessionEndsAndUseKeepsOneAlive() {
    ConsoleSessions.Session s = sessions.open("key sk_live_abc", "inst_1", "hash1");
    assertThat(s.id()).hasSize(64).isNotEqualTo(s.csrf());
    now.addAndGet(Duration.ofMinutes(14).toMillis());
    assertThat(sessions.find(s.id())).isPresent();
    now.addAndGet(Duration.ofMinutes(14).toMillis());
    assertThat(sessions.find(s.id())).as("used 14 minutes ago").isPresent();
    now.addAndGet(Duration.ofMinutes(16).toMillis());
    assertThat(sessions.find(s.id())).as("idle for 16 minutes").isEmpty();
    assertThat(sessions.find(s.id())).isEmpty();
  }

  @Test
  void signOutAndRevocationEndSessions() {
    ConsoleSessions.Session a = sessions.open("key a", "inst_1", "hashA");
    ConsoleSessions.Session b = sessions.open("key b", "inst_1", "hashB");
    sessions.close(a.id());
    assertThat(sessions.find(a.id())).isEmpty();
    sessions.closeKey("hashB");
    assertThat(sessions.find(b.id())).isEmpty();
    assertThat(ConsoleSessions.sameToken("abc", "abc")).isTrue();
    assertThat(ConsoleSessions.sameToken("abc", "abd")).isFalse();
    assertThat(ConsoleSessions.sameToken("abc", null)).isFalse();
  }
}
