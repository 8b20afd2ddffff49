package dev.synap.server.console;

import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG, drawn on the server: no script, no library, nothing fetched. Each
 * chart carries a text alternative (title, and the latest values in the caption) for screen readers.
 */
final class SvgChart {
  record Series(String name, String colour, List<Double> values) {}

  private static final int W = 360, H = 140, PAD = 28;

  private SvgChart() {}

  static String render(String title, String unit, List<Series> series) {
    double max = 0;
    int n = 0;
    for (Series s : series) {
      n = Math.max(n, s.values().size());
      for (Double v : s.values()) if (v != null && !v.isNaN()) max = Math.max(max, v);
    }
    if (max == 0) max = 1;
    StringBuilder latest = new StringBuilder();
    StringBuilder svg = new StringBuilder();
    svg.append("<svg role=\"img\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" width=\"100%\" aria-labelledby=\"")
        .append(id(title)).append("\"><title id=\"").append(id(title)).append("\">").append(Html.e(title)).append("</title>")
        .append("<line x1=\"").append(PAD).append("\" y1=\"").append(H - PAD).append("\" x2=\"").append(W - 4).append("\" y2=\"").append(H - PAD)
        .append("\" stroke=\"#57606a\"/><line x1=\"").append(PAD).append("\" y1=\"6\" x2=\"").append(PAD).append("\" y2=\"").append(H - PAD)
        .append("\" stroke=\"#57606a\"/><text x=\"2\" y=\"14\" font-size=\"10\">").append(fmt(max)).append("</text>")
        .append("<text x=\"2\" y=\"").append(H - PAD).append("\" font-size=\"10\">0</text>");
    for (Series s : series) {
      StringBuilder points = new StringBuilder();
      Double last = null;
      for (int i = 0; i < s.values().size(); i++) {
        Double v = s.values().get(i);
        if (v == null || v.isNaN()) continue;
        double x = PAD + (n <= 1 ? 0 : (W - PAD - 8) * (double) i / (n - 1));
        double y = (H - PAD) - (H - PAD - 8) * v / max;
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        last = v;
      }
      svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(s.colour()).append("\" points=\"").append(points).append("\"/>");
      latest.append("<span><svg width=\"10\" height=\"10\" aria-hidden=\"true\"><rect width=\"10\" height=\"10\" fill=\"").append(s.colour())
          .append("\"/></svg> ").append(Html.e(s.name())).append(": ").append(last == null ? "no data" : fmt(last) + " " + Html.e(unit)).append("</span> ");
    }
    svg.append("</svg>");
    return "<figure>" + svg + "<figcaption>" + Html.e(title) + " (latest) " + latest + "</figcaption></figure>";
  }

  private static String id(String title) {
    return "chart-" + title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  static String fmt(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
