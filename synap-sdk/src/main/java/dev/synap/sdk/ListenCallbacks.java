package dev.synap.sdk;

import java.util.function.Consumer;
import java.util.function.IntConsumer;

/** What {@code listen()} calls back: each pushed bundle, a lost stream, a restored stream. */
public record ListenCallbacks(Consumer<ContextBundle> onContext, Consumer<String> onDisconnect, IntConsumer onReconnect) {
  public ListenCallbacks {
    if (onContext == null) onContext = b -> {};
    if (onDisconnect == null) onDisconnect = r -> {};
    if (onReconnect == null) onReconnect = a -> {};
  }

  public static ListenCallbacks none() {
    return new ListenCallbacks(null, null, null);
  }

  public static ListenCallbacks onContext(Consumer<ContextBundle> onContext) {
    return new ListenCallbacks(onContext, null, null);
  }
}
