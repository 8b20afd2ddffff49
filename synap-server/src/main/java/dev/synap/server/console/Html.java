package dev.synap.server.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.commons.text.StringEscapeUtils;

/**
 * Page building: every value from the store passes {@link #e} before it reaches the page, the
 * layout gives each page a skip link, a labelled navigation and one {@code main} landmark, and
 * forms that change something carry the session's CSRF token.
 */
final class Html {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Html() {}

  /** Escapes text for element content and quoted attribute values. */
  static String e(Object v) {
    return v == null ? "" : StringEscapeUtils.escapeHtml4(String.valueOf(v)).replace("'", "&#39;");
  }

  /** Escapes one path segment of a console link. */
  static String u(String v) {
    return java.net.URLEncoder.encode(v == null ? "" : v, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String time(Instant t) {
    return t == null ? "" : "<time datetime=\"" + t + "\">" + TIME.format(t) + "</time>";
  }

  static String page(String title, ConsoleSessions.Session s, String body) {
    StringBuilder h = new StringBuilder(4096);
    h.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(e(title)).append(" · Synap console</title><link rel=\"stylesheet\" href=\"/console/console.css\"></head><body>")
        .append("<a class=\"skip\" href=\"#main\">Skip to content</a><header><span class=\"brand\">Synap console</span>");
    if (s != null) {
      h.append("<nav aria-label=\"Main\"><ul>");
      if (s.admin()) h.append("<li><a href=\"/console/instances\">Instances</a></li>");
      else h.append("<li><a href=\"/console/instances/").append(u(s.instanceId())).append("\">Instance</a></li>");
      h.append("<li><a href=\"/console/metrics\">Live figures</a></li><li><a href=\"/console/api\">API reference</a></li></ul></nav>")
          .append("<p class=\"who\">Signed in: ").append(e(s.actor())).append(s.admin() ? " (admin)" : " (read-only)").append("</p>")
          .append(form("/console/logout", s, "", "Sign out", false));
    }
    h.append("</header><main id=\"main\" tabindex=\"-1\"><h1>").append(e(title)).append("</h1>").append(body).append("</main></body></html>");
    return h.toString();
  }

  /** A POST form with the CSRF token, hidden fields given as HTML, and one submit button. */
  static String form(String action, ConsoleSessions.Session s, String fields, String button, boolean danger) {
    return "<form method=\"post\" action=\"" + e(action) + "\" class=\"inline\"><input type=\"hidden\" name=\"csrf\" value=\"" + e(s.csrf()) + "\">"
        + fields + "<button type=\"submit\"" + (danger ? " class=\"danger\"" : "") + ">" + e(button) + "</button></form>";
  }

  static String link(String href, String text) {
    return "<a href=\"" + e(href) + "\">" + e(text) + "</a>";
  }

  static final String CSS = """
      body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fafafa}
      header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.6rem 1rem;background:#1d3557;color:#fff}
      header a,header .who{color:#fff}.brand{font-weight:700}
      nav ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0}
      main{padding:1rem 1.5rem;max-width:1200px}
      table{border-collapse:collapse;margin:.5rem 0 1.5rem;width:100%;background:#fff}
      th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
      th{background:#eef1f4}
      .skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;color:#000;padding:.5rem;z-index:9}
      a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus,main:focus{outline:3px solid #f4a261;outline-offset:2px}
      textarea{display:block;width:100%;max-width:60rem;font:13px/1.4 ui-monospace,monospace;padding:.35rem;border:1px solid #57606a;border-radius:4px}
      input[type=number]{padding:.3rem;width:6rem;border:1px solid #57606a;border-radius:4px}
      .flag-error{color:#9b1c1c;font-weight:700}.flag-warning{color:#9a6700}
      button{padding:.3rem .7rem;border:1px solid #1d3557;background:#fff;color:#1d3557;border-radius:4px;cursor:pointer}
      button.danger{border-color:#9b1c1c;color:#9b1c1c}
      form.inline{display:inline}
      label{display:block;margin:.4rem 0 .2rem;font-weight:600}
      label.radio{display:inline;margin:0 1rem 0 .3rem;font-weight:400}
      input[type=text],input[type=password],input[type=search]{padding:.35rem;min-width:22rem;border:1px solid #57606a;border-radius:4px}
      .status-current{color:#116329}.status-superseded{color:#9a6700}.status-retracted,.status-deleted{color:#9b1c1c}
      .note{background:#fff8c5;border:1px solid #d4a72c;padding:.5rem;margin:.5rem 0}
      .error{background:#ffebe9;border:1px solid #cf222e;padding:.5rem;margin:.5rem 0}
      .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:1rem}
      figure{margin:0;background:#fff;border:1px solid #d0d7de;padding:.5rem}
      figcaption{font-weight:600}
      code{background:#eef1f4;padding:0 .2rem}
      """;
}
