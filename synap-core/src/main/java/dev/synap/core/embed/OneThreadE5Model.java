package dev.synap.core.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The same packaged e5-small-v2-q model, in an ONNX Runtime session limited to one thread. By
 * default a session spreads each call over every core; on a small machine that starves request
 * handling, and under load it is not even faster, so both passages and queries use one thread.
 */
final class OneThreadE5Model extends AbstractInProcessEmbeddingModel {
  private static final String MODEL = "/e5-small-v2-q.onnx";
  private static final String TOKENIZER = "/e5-small-v2-q-tokenizer.json";
  private final OnnxBertBiEncoder encoder;

  OneThreadE5Model() {
    super(Runnable::run);
    try (InputStream model = resource(MODEL); InputStream tokenizer = resource(TOKENIZER);
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      this.encoder = new OnnxBertBiEncoder(env, env.createSession(model.readAllBytes(), options), tokenizer, PoolingMode.MEAN);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load the e5 model: " + e.getMessage(), e);
    }
  }

  private static InputStream resource(String name) {
    return Objects.requireNonNull(OneThreadE5Model.class.getResourceAsStream(name), name + " is not on the classpath");
  }

  @Override
  protected OnnxBertBiEncoder model() {
    return encoder;
  }

  @Override
  protected Integer knownDimension() {
    return E5SmallEmbedder.DIMENSION;
  }
}
