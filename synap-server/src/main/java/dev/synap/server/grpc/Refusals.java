package dev.synap.server.grpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.proto.v1.StreamSignal;
import java.util.ArrayList;
import java.util.List;

/**
 * Events of one stream that were not stored and may be sent again (rate limit, full ingest queue,
 * a failed write), gathered into one {@code throttle} signal. The signal must reach the client
 * before the pong of any ping sent after those events, because a pong confirms every earlier event
 * a signal did not name; the session therefore drains this batch right before it writes a pong,
 * and also when it is full or a few milliseconds old, so a client learns soon what to resend.
 *
 * <p>Signal metadata: {@code event_ids} (a JSON array of the named ids), {@code event_id} (the
 * first one, for readers of a single id), {@code dropped_events} (all refused events, including
 * those without an id) and {@code retry_after_seconds} (the longest wait any of them was given).
 * Not thread-safe: the session synchronises.
 */
final class Refusals {
  static final int MAX_NAMED = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> ids = new ArrayList<>();
  private int count;
  private int retryAfterSeconds;
  private String reason;

  /** Adds a refused event; true when the batch is full and should be drained now. */
  boolean add(String eventId, int retryAfter, String why) {
    if (eventId != null && !eventId.isEmpty() && eventId.length() <= 256) ids.add(eventId);
    count++;
    retryAfterSeconds = Math.max(retryAfterSeconds, Math.max(1, retryAfter));
    reason = why;
    return ids.size() >= MAX_NAMED;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** The batch as one signal, and an empty batch; null when nothing was refused. */
  StreamSignal drain() {
    if (count == 0) return null;
    StreamSignal.Builder s = StreamSignal.newBuilder().setSignalType("throttle")
        .setReason(reason + "; " + count + " event(s) not stored, resend after " + retryAfterSeconds + " s")
        .putMetadata("retry_after_seconds", Integer.toString(retryAfterSeconds))
        .putMetadata("dropped_events", Integer.toString(count));
    if (!ids.isEmpty()) {
      s.putMetadata("event_id", ids.getFirst());
      try {
        s.putMetadata("event_ids", JSON.writeValueAsString(ids));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e); // a list of strings always serialises
      }
    }
    ids.clear();
    count = 0;
    retryAfterSeconds = 0;
    reason = null;
    return s.build();
  }
}
