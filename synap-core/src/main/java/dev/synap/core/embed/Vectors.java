package dev.synap.core.embed;

/** Small vector arithmetic shared by embedding and ranking. */
public final class Vectors {
  private Vectors() {}

  /** A unit-length copy: with unit vectors, cosine is a dot product, whatever the model runtime returned. */
  public static float[] unit(float[] v) {
    double norm = 0;
    for (float x : v) norm += x * x;
    if (norm == 0) return v.clone();
    float inv = (float) (1 / Math.sqrt(norm));
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i] * inv;
    return out;
  }

  public static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }
}
