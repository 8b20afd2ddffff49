package dev.synap.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.anticipate.BundlePlan;
import dev.synap.core.anticipate.RetrievalPhase;
import dev.synap.core.model.Evidence;
import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Scope;
import dev.synap.core.retrieve.ContextItem;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.proto.v1.ContextBundleProto;
import dev.synap.proto.v1.ContextItemProto;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue #20: in a pushed bundle, typed facts come before source evidence, which travels as a fact. */
class BundleTypedFirstTest {
  private static Memory fact(String id, boolean evidence) {
    Map<String, Object> attrs = evidence ? Evidence.mark(Map.of()) : Map.of();
    return new Memory(id, "inst", "alice", null, "conv", Scope.USER, MemoryType.FACT, "content " + id, 0.7, null, attrs, null, null, "perpetual",
        List.of("msg-" + id), "current", Instant.EPOCH, Instant.EPOCH);
  }

  @Test
  void typedFactsComeBeforeEvidenceWhateverTheRelevanceOrder() {
    List<ContextItem> items = List.of(new ContextItem(fact("e1", true), 0.9, 0.9, "vector", 5), new ContextItem(fact("t1", false), 0.8, 0.8, "vector", 5),
        new ContextItem(fact("e2", true), 0.7, 0.7, "vector", 5), new ContextItem(fact("t2", false), 0.6, 0.6, "vector", 5));
    ContextResult result = new ContextResult(items, 20, 4_000, false, "fast", List.of("vector"), 0);
    BundlePlan plan = new BundlePlan("anticipation", List.of(), List.of(), Set.of(), "memory_write.update", 0.5f, 1800, 4);
    ContextBundleProto bundle = BundleAssembler.assemble(plan, RetrievalPhase.COMPLETE, result, new BundleAssembler.Target("alice", null, null));
    assertThat(bundle.getItemsByTypeMap().get("facts").getItemsList()).extracting(ContextItemProto::getItemId).containsExactly("t1", "t2", "e1", "e2");
  }
}
