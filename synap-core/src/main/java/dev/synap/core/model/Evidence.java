package dev.synap.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Source evidence: an informative sentence kept so that retrieval can find it, but not a typed
 * memory (issue #20). Extraction keeps two jobs apart: a sentence becomes a typed memory only when
 * it states something about a person with a typed cue; every other informative sentence is stored
 * as evidence, so that recall does not depend on the typing being generous.
 *
 * <p>Evidence is stored as a {@link MemoryType#FACT} (on the wire it is an item under {@code facts},
 * the only contract type for a plain statement) marked by the attribute {@code kind = evidence};
 * the wire shows the mark as {@code metadata.kind}. Profiles leave it out, anticipation bundles and
 * the console's memory list put typed memories before it, and consolidation never merges evidence
 * with a typed memory.
 */
public final class Evidence {
  /** The attribute that marks evidence, and its value. */
  public static final String KIND = "kind";

  public static final String EVIDENCE = "evidence";

  /** The kind typed memories report where a kind is shown. */
  public static final String TYPED = "typed";

  private Evidence() {}

  /** Whether these memory attributes mark source evidence. */
  public static boolean is(Map<String, Object> attributes) {
    return attributes != null && EVIDENCE.equals(attributes.get(KIND));
  }

  /** The attributes with the evidence mark added. */
  public static Map<String, Object> mark(Map<String, Object> attributes) {
    Map<String, Object> out = new LinkedHashMap<>(attributes);
    out.put(KIND, EVIDENCE);
    return Collections.unmodifiableMap(out); // not Map.copyOf: attributes from elsewhere may hold nulls
  }

  /** {@code evidence} or {@code typed}, the name the wire and the console show. */
  public static String kindOf(Memory m) {
    return m.isEvidence() ? EVIDENCE : TYPED;
  }
}
