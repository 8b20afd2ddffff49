package dev.synap.core.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our session runs the same model: it must embed exactly like the packaged class. */
class PackagedE5ModelTest {
  @Test
  void embedsLikeThePackagedModel() {
    List<TextSegment> texts = List.of(TextSegment.from("passage: My dog Rex loves the beach."), TextSegment.from("passage: The quarterly report is due."),
        TextSegment.from("query: what was my dog's name again?"));
    var packaged = new E5SmallV2QuantizedEmbeddingModel(Runnable::run).embedAll(texts).content();
    try (var ours = new PackagedE5Model()) {
      for (int i = 0; i < texts.size(); i++) {
        float[] a = Vectors.unit(packaged.get(i).vector());
        float[] b = Vectors.unit(ours.embed(texts.get(i).text()));
        double dot = 0;
        for (int k = 0; k < a.length; k++) dot += a[k] * b[k];
        assertThat(dot).as("cosine of text %d", i).isGreaterThan(0.9999);
      }
    }
  }
}
