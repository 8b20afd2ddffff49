package dev.synap.core.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The e5-small-v2-q model packaged in LangChain4j's jar (nothing is downloaded), run in an ONNX
 * Runtime session of one thread per call: by default a session spreads each call over every core,
 * which on a small machine starves request handling whenever anything else runs. Calls from
 * several threads run at once (ONNX Runtime sessions are safe for concurrent runs).
 *
 * <p>We run the session ourselves rather than through LangChain4j's wrapper so that its options
 * and its inputs are ours to choose. Tokenisation and mean pooling are the model's own (BERT word
 * pieces with [CLS] and [SEP], average of the last hidden states); {@code PackagedE5ModelTest}
 * checks the vectors against the packaged class. Texts beyond 512 tokens are truncated, where the
 * packaged class averages windows: our passages (memories, chunks) are far shorter.
 */
final class PackagedE5Model implements AutoCloseable {
  private static final String MODEL = "/e5-small-v2-q.onnx";
  private static final String TOKENIZER = "/e5-small-v2-q-tokenizer.json";
  static final int MAX_TOKENS = 512;
  private static final HuggingFaceTokenizer TOKENS = tokenizer();
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final boolean typeIds;

  PackagedE5Model() {
    try (InputStream model = resource(MODEL); OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      this.session = env.createSession(model.readAllBytes(), options);
      this.typeIds = session.getInputNames().contains("token_type_ids");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load the e5 model: " + e.getMessage(), e);
    }
  }

  private static HuggingFaceTokenizer tokenizer() {
    // DJL reports usage to AWS from EC2 hosts and may fetch native libraries; ours are in the jar,
    // and nothing of ours calls out: opt out unless the operator chose otherwise.
    if (System.getProperty("OPT_OUT_TRACKING") == null) System.setProperty("OPT_OUT_TRACKING", "true");
    if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
    try (InputStream in = resource(TOKENIZER)) {
      return HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false", "truncation", "true", "maxLength", String.valueOf(MAX_TOKENS)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) {
    return Objects.requireNonNull(PackagedE5Model.class.getResourceAsStream(name), name + " is not on the classpath");
  }

  /** The mean of the last hidden states of the text's tokens (not normalised). */
  float[] embed(String text) {
    Encoding encoding = TOKENS.encode(text);
    long[] ids = encoding.getIds();
    long[] mask = encoding.getAttentionMask();
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(env, new long[][] {ids}));
      inputs.put("attention_mask", OnnxTensor.createTensor(env, new long[][] {mask}));
      if (typeIds) inputs.put("token_type_ids", OnnxTensor.createTensor(env, new long[][] {encoding.getTypeIds()}));
      try (OrtSession.Result result = session.run(inputs)) {
        FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
        int dim = hidden.capacity() / ids.length;
        float[] sum = new float[dim];
        int counted = 0;
        for (int t = 0; t < ids.length; t++) {
          if (mask[t] == 0) continue;
          counted++;
          for (int k = 0; k < dim; k++) sum[k] += hidden.get(t * dim + k);
        }
        for (int k = 0; k < dim; k++) sum[k] /= Math.max(1, counted);
        return sum;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("e5 model run failed: " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
