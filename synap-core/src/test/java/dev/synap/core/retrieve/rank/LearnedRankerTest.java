package dev.synap.core.retrieve.rank;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Scope;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The learned ranker ships with the build, scores the same way every time, and never stands in the way when it cannot be used. */
class LearnedRankerTest {
  final ListAppender<ILoggingEvent> log = new ListAppender<>();
  final Logger rankerLog = (Logger) LoggerFactory.getLogger(LearnedRanker.class);

  @BeforeEach
  void capture() {
    log.start();
    rankerLog.addAppender(log);
  }

  @AfterEach
  void release() {
    rankerLog.detachAppender(log);
  }

  @Test
  void theShippedModelLoadsAndFitsTheFeaturesThisCodeComputes() {
    Optional<LearnedRanker> shipped = LearnedRanker.shipped();
    assertThat(shipped).isPresent();
    assertThat(shipped.get().features()).isEqualTo(RankFeatures.NAMES);
    assertThat(shipped.get().head()).isGreaterThan(10);
  }

  @Test
  void scoresAreDeterministic() {
    LearnedRanker model = LearnedRanker.shipped().orElseThrow();
    QuestionCues q = QuestionCues.of("When did Gina open her online clothing store?", List.of("gina", "open", "online", "clothing", "store"), Optional.empty());
    double[] x = RankFeatures.of(q, candidate("Gina opened an online clothing store last week.", new Signal(0, 1), new Signal(2, 0.8)), 19_500);
    double first = model.relevance(x);
    assertThat(model.relevance(x.clone())).isEqualTo(first);
    assertThat(RankFeatures.of(q, candidate("Gina opened an online clothing store last week.", new Signal(0, 1), new Signal(2, 0.8)), 19_500))
        .containsExactly(x);
    assertThat(first).isBetween(0.0, 1.0);
  }

  @Test
  void aCandidateWithBetterSignalsRanksHigherUnderTheShippedModel() {
    LearnedRanker model = LearnedRanker.shipped().orElseThrow();
    QuestionCues q = QuestionCues.of("What does Jon teach at his dance studio?", List.of("jon", "teach", "dance", "studio"), Optional.empty());
    double[] weak = RankFeatures.of(q, candidate("I went out yesterday.", new Signal(30, 0.1), new Signal(35, 0.2)), 19_500);
    double[] strong = RankFeatures.of(q, candidate("Jon teaches contemporary dance at his studio.", new Signal(0, 1), new Signal(0, 1)), 19_500);
    assertThat(model.score(strong)).isGreaterThan(model.score(weak));
    assertThat(model.relevance(strong)).isGreaterThan(model.relevance(weak));
  }

  @Test
  void aMissingModelFallsBackWithOneWarning() {
    assertThat(LearnedRanker.load(null, "nowhere/ranker.json")).isEmpty();
    assertThat(warnings()).hasSize(1).first().asString().contains("nowhere/ranker.json", "hand-set fusion");
  }

  @Test
  void aModelTrainedOnOtherFeaturesOrBrokenFallsBackWithOneWarningEach() {
    String otherFeatures = "{\"features\":[\"bias\",\"bm25\"],\"weights\":[0,1],\"scale\":1,\"bias\":0,\"head\":50}";
    assertThat(LearnedRanker.load(stream(otherFeatures), "old.json")).isEmpty();
    assertThat(LearnedRanker.load(stream("{ not json"), "broken.json")).isEmpty();
    List<String> w = warnings();
    assertThat(w).hasSize(2);
    assertThat(w.get(0)).contains("old.json", "hand-set fusion");
    assertThat(w.get(1)).contains("broken.json", "hand-set fusion");
    assertThat(w).allSatisfy(line -> assertThat(line.lines()).hasSize(1));
  }

  @Test
  void trainingLearnsThatTheSignalWhichPredictsEvidenceRanksHigher() {
    // Synthetic heads: evidence is where the context embedding is close; BM25 is noise.
    Random random = new Random(3);
    List<PairwiseTrainer.Group> groups = new ArrayList<>();
    int contextScaled = RankFeatures.NAMES.indexOf("context_dense_scaled");
    int lexicalScaled = RankFeatures.NAMES.indexOf("lexical_scaled");
    for (int g = 0; g < 40; g++) {
      List<double[]> x = new ArrayList<>();
      List<Boolean> y = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        double[] f = new double[RankFeatures.NAMES.size()];
        f[0] = 1;
        boolean relevant = i < 2;
        f[contextScaled] = relevant ? 0.7 + 0.3 * random.nextDouble() : 0.8 * random.nextDouble();
        f[lexicalScaled] = random.nextDouble();
        x.add(f);
        y.add(relevant);
      }
      groups.add(new PairwiseTrainer.Group(x, y));
    }
    LearnedRanker model = new PairwiseTrainer(200, 1.0, 0.001).train(groups, 40);
    assertThat(model.weights()[contextScaled]).isGreaterThan(Math.abs(model.weights()[lexicalScaled]));
    double[] better = new double[RankFeatures.NAMES.size()];
    double[] worse = new double[RankFeatures.NAMES.size()];
    better[0] = worse[0] = 1;
    better[contextScaled] = 0.9;
    worse[contextScaled] = 0.3;
    assertThat(model.relevance(better)).isGreaterThan(model.relevance(worse));
    assertThat(new PairwiseTrainer(200, 1.0, 0.001).train(groups, 40).weights()).containsExactly(model.weights());
  }

  private List<String> warnings() {
    return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static ByteArrayInputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Candidate candidate(String content, Signal lexical, Signal dense) {
    Instant at = Instant.parse("2023-05-01T10:00:00Z");
    Memory m = new Memory("m", "i", "u", null, "c", Scope.USER, MemoryType.FACT, content, 0.8, null, Map.of(), null, null, "perpetual",
        List.of("msg"), "current", at, at);
    return new Candidate(m, lexical.scaled() * 0.5 + dense.scaled() * 0.5, lexical, dense, dense, 19_478);
  }
}
