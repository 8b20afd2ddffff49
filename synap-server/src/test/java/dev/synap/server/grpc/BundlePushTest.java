package dev.synap.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.anticipate.Prediction;
import dev.synap.core.anticipate.Predictor;
import dev.synap.core.anticipate.RetrievalPhase;
import dev.synap.core.model.Memory;
import dev.synap.core.retrieve.ContextItem;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.core.retrieve.Tokens;
import dev.synap.proto.v1.ContextBundleProto;
import dev.synap.proto.v1.StreamResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a stream pushes for the predictor's results: the phase decides the degradation level and
 * the coalescing, items the client holds are left out, and how long they count as held follows
 * the cache capacity the client states.
 */
class BundlePushTest {
  @TempDir Path dir;

  private static ContextResult of(String source, Memory... memories) {
    List<ContextItem> items = new ArrayList<>();
    int tokens = 0;
    for (Memory m : memories) {
      items.add(new ContextItem(m, 0.5, 0.5, source, Tokens.estimate(m.content())));
      tokens += Tokens.estimate(m.content());
    }
    return new ContextResult(items, tokens, 4_000, false, "fast", List.of(source), 0);
  }

  private static List<String> ids(ContextBundleProto b) {
    return BundleAssembler.itemIds(b);
  }

  private static List<ContextBundleProto> bundles(List<StreamResponse> frames) {
    return frames.stream().filter(StreamResponse::hasContextBundle).map(StreamResponse::getContextBundle).toList();
  }

  @Test
  void eachPhaseIsPushedWithItsDegradationAndOnlyWhatTheClientLacks() throws Exception {
    try (InProcessListen listen = new InProcessListen(dir)) {
      Memory a = listen.remember("ann", "Ann keeps bees on the roof of her flat.", "bees");
      Memory b = listen.remember("ann", "Ann plays chess with her sister on Sundays.", "chess");
      listen.service.predictor((plan, query, out) -> {
        out.accept(new Prediction(RetrievalPhase.FIRST_PASS, plan, of("lexical", a)));
        out.accept(new Prediction(RetrievalPhase.COMPLETE, plan, of("vector", a, b)));
      });
      InProcessListen.Stream s = listen.open(Map.of());
      s.say("ann", "Tell me about the bees on my roof again");
      List<ContextBundleProto> pushed = bundles(s.untilBundles(2));
      assertThat(pushed).hasSize(2);
      assertThat(pushed.get(0).getDegradationLevel()).isEqualTo("partial");
      assertThat(ids(pushed.get(0))).containsExactly(a.memoryId());
      assertThat(pushed.get(1).getDegradationLevel()).as("complete, with its dense half").isEqualTo("none");
      assertThat(ids(pushed.get(1))).as("the first pass's item is held already").containsExactly(b.memoryId());

      listen.service.predictor((plan, query, out) -> out.accept(new Prediction(RetrievalPhase.SHED, plan, of("recent_under_load", a, b))));
      s = listen.open(Map.of());
      s.say("ann", "Tell me about the bees on my roof again");
      ContextBundleProto shed = bundles(s.untilPong()).getFirst();
      assertThat(shed.getDegradationLevel()).isEqualTo("partial");
      assertThat(ids(shed)).containsExactlyInAnyOrder(a.memoryId(), b.memoryId());
    }
  }

  @Test
  void aPredictorThatFindsNothingNewPushesNothing() throws Exception {
    try (InProcessListen listen = new InProcessListen(dir)) {
      Memory a = listen.remember("ann", "Ann keeps bees on the roof of her flat.", "bees");
      listen.service.predictor((plan, query, out) -> out.accept(new Prediction(RetrievalPhase.COMPLETE, plan, of("vector", a))));
      InProcessListen.Stream s = listen.open(Map.of());
      s.say("ann", "Tell me about the bees on my roof again");
      assertThat(bundles(s.untilPong())).hasSize(1);
      s.say("ann", "And the bees once more, please");
      assertThat(bundles(s.untilPong())).isEmpty();
      listen.service.predictor(Predictor.NONE);
      s = listen.open(Map.of());
      s.say("ann", "Tell me about the bees on my roof again");
      assertThat(bundles(s.untilPong())).as("anticipation off").isEmpty();
    }
  }

  /**
   * A client caching two bundles holds an item for one bundle more (three fifths, at least one):
   * after another bundle it is pushed again. A client that states nothing is taken to keep 100.
   */
  @Test
  void theStatedCacheCapacitySetsWhenAnItemIsPushedAgain() throws Exception {
    try (InProcessListen listen = new InProcessListen(dir)) {
      Memory bees = listen.remember("ann", "Ann keeps bees on the roof of her flat.", "bees");
      Memory porto = listen.remember("ann", "Ann plays chess with her sister on Sundays.", "chess");
      listen.service.predictor((plan, query, out) -> out.accept(new Prediction(RetrievalPhase.COMPLETE, plan,
          String.join(" ", query.queries()).contains("bees") ? of("vector", bees) : of("vector", porto))));
      for (var c : List.of(new Object[] {Map.of(ClientCacheHeader.NAME, "2"), 1}, new Object[] {Map.<String, String>of(), 0})) {
        @SuppressWarnings("unchecked")
        InProcessListen.Stream s = listen.open((Map<String, String>) c[0]);
        s.say("ann", "Tell me about the bees on my roof again");
        s.say("ann", "Shall we play chess on Sunday?");
        s.say("ann", "Tell me about the bees on my roof again");
        List<ContextBundleProto> pushed = bundles(s.untilPong());
        assertThat(pushed.stream().filter(b -> ids(b).contains(bees.memoryId())).count()).as("bees pushed, headers %s", c[0])
            .isEqualTo(1 + (int) c[1]);
      }
    }
  }

  @Test
  void aCacheCapacityThatIsNotAPositiveNumberIsRefused() throws Exception {
    try (InProcessListen listen = new InProcessListen(dir)) {
      for (String bad : List.of("0", "-5", "lots", "")) {
        InProcessListen.Stream s = listen.open(Map.of(ClientCacheHeader.NAME, bad));
        s.say("ann", "hello there");
        Throwable t = s.errors.poll(5, TimeUnit.SECONDS);
        assertThat(t).as("header %s", bad).isInstanceOf(StatusRuntimeException.class);
        assertThat(Status.fromThrowable(t).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(t.getMessage()).contains(ClientCacheHeader.NAME);
      }
      InProcessListen.Stream huge = listen.open(Map.of(ClientCacheHeader.NAME, "99999999999999999999"));
      assertThat(huge.untilPong()).isEmpty();
    }
  }
}
