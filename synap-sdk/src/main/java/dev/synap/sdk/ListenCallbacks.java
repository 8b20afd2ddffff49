package dev.synap.sdk;

import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * What {@code listen()} calls back: each pushed bundle, a lost stream, a restored stream, and each
 * sent event the server did not store ({@link RejectedEvent}: refused as invalid, or given up on
 * after repeated throttling). Callbacks run on the SDK's stream thread: return quickly, and do not
 * call {@code sendMessage} from them.
 */
public record ListenCallbacks(Consumer<ContextBundle> onContext, Consumer<String> onDisconnect, IntConsumer onReconnect,
    Consumer<RejectedEvent> onEventRejected) {
  public ListenCallbacks {
    if (onContext == null) onContext = b -> {};
    if (onDisconnect == null) onDisconnect = r -> {};
    if (onReconnect == null) onReconnect = a -> {};
    if (onEventRejected == null) onEventRejected = e -> {};
  }

  /** Without a rejection callback (rejections are still counted in {@code instance().delivery()}). */
  public ListenCallbacks(Consumer<ContextBundle> onContext, Consumer<String> onDisconnect, IntConsumer onReconnect) {
    this(onContext, onDisconnect, onReconnect, null);
  }

  public static ListenCallbacks none() {
    return new ListenCallbacks(null, null, null, null);
  }

  public static ListenCallbacks onContext(Consumer<ContextBundle> onContext) {
    return new ListenCallbacks(onContext, null, null, null);
  }

  /** These callbacks, plus {@code onEventRejected}. */
  public ListenCallbacks withOnEventRejected(Consumer<RejectedEvent> onEventRejected) {
    return new ListenCallbacks(onContext, onDisconnect, onReconnect, onEventRejected);
  }
}
