package dev.synap.core.store;

import dev.synap.core.model.Memory;
import java.util.List;

/**
 * Read access to an owner's memories from inside the transaction that completes a message, so
 * consolidation decisions (supersede, retract, reinforce) see every earlier commit and are
 * applied atomically with the message's completion.
 */
public interface MemoryLedger {

  /** Current memories in {@code scope} lexically close to {@code terms}, best first. */
  List<Memory> similar(MemoryFilter scope, List<String> terms, int limit);

  /** Current memories in {@code scope} whose {@code attributes.attribute_key} equals {@code key}. */
  List<Memory> withAttribute(MemoryFilter scope, String key);

  /** Current memories in {@code scope}, newest first. */
  List<Memory> newest(MemoryFilter scope, int limit);
}
