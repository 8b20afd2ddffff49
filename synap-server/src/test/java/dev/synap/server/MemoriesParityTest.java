package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 items 5 and 6: documented memory paths, page envelope, updates, uploads by format. */
class MemoriesParityTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  RunningServer rs;

  @BeforeEach
  void start() {
    rs = new RunningServer(dir);
  }

  @AfterEach
  void stop() {
    rs.close();
  }

  private JsonNode ok(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + path))
        .header("Authorization", "Bearer " + rs.key).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
    return rs.http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> upload(String fileName, String contentType, byte[] content) throws Exception {
    String boundary = "parity" + System.nanoTime();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"user_id\"\r\n\r\numa\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\nContent-Type: "
        + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + "/api/v1/memories/upload"))
        .header("Authorization", "Bearer " + rs.key).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    return rs.http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode memoriesOf(String ingestionId) throws Exception {
    rs.awaitIngested();
    JsonNode status = ok(rs.get("/api/v1/memories/status/" + ingestionId, rs.key));
    assertThat(status.path("status").asText()).isEqualTo("completed");
    com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
    for (JsonNode id : status.path("memory_ids")) out.add(ok(rs.get("/api/v1/memories/" + id.asText(), rs.key)));
    return out;
  }

  @Test
  void theDocumentedPathsCreateAndBatchLikeTheClientsPaths() throws Exception {
    JsonNode created = ok(rs.post("/v1/memories", "{\"document\":\"Vera keeps bees in her garden in Lyon.\",\"user_id\":\"vera\"}", rs.key));
    assertThat(created.path("status").asText()).isEqualTo("queued");
    JsonNode batch = ok(rs.post("/v1/memories/batch", "{\"documents\":[{\"document\":\"Vera plays the cello on Sundays.\",\"user_id\":\"vera\"}],"
        + "\"fail_fast\":false}", rs.key));
    assertThat(batch.path("succeeded").asInt()).isEqualTo(1);
    assertThat(memoriesOf(created.path("ingestion_id").asText()).toString()).contains("bees");
    assertThat(memoriesOf(batch.path("results").get(0).path("ingestion_id").asText()).toString()).contains("cello");
  }

  @Test
  void fastModeStoresAsExtractedWhileLongRangeConsolidates() throws Exception {
    String fact = "Yuri keeps his passport in the blue drawer of the study.";
    for (String user : java.util.List.of("yuri", "zoe")) {
      String mode = user.equals("yuri") ? "fast" : "long-range";
      for (int i = 0; i < 2; i++) {
        ok(rs.post("/api/v1/memories/create", "{\"document\":\"" + fact + "\",\"document_id\":\"" + user + i + "\",\"user_id\":\"" + user
            + "\",\"mode\":\"" + mode + "\"}", rs.key));
      }
    }
    rs.awaitIngested();
    // long-range: the restatement reinforces the memory it repeats; fast: each document's memory is stored as extracted.
    assertThat(ok(rs.get("/api/v1/memories?user_id=zoe", rs.key)).path("total").asInt()).isEqualTo(1);
    assertThat(ok(rs.get("/api/v1/memories?user_id=yuri", rs.key)).path("total").asInt()).isEqualTo(2);
  }

  @Test
  void theListUsesTheDocumentedPageEnvelopeAndKeepsTheOldKeys() throws Exception {
    // Different things each, so that consolidation keeps 25 memories rather than reinforcing one.
    String[] things = {"camera", "guitar", "kayak", "telescope", "bicycle", "piano", "typewriter", "compass", "lantern", "violin",
        "motorbike", "sailboat", "microscope", "harmonica", "tent", "hammock", "drone", "easel", "loom", "anvil", "banjo", "canoe",
        "sextant", "gramophone", "accordion"};
    String[] cities = {"Vienna", "Oslo", "Lima", "Cairo", "Quito", "Hanoi", "Dakar", "Perth", "Riga", "Porto", "Kyoto", "Tunis", "Sofia",
        "Bogota", "Malmo", "Zagreb", "Accra", "Hobart", "Leeds", "Nantes", "Basel", "Split", "Turku", "Cork", "Gdansk"};
    StringBuilder docs = new StringBuilder();
    for (int i = 0; i < 25; i++) {
      docs.append(i == 0 ? "" : ",").append("{\"document\":\"Walter bought an old ").append(things[i]).append(" in ").append(cities[i])
          .append(".\",\"user_id\":\"walter\"}");
    }
    assertThat(ok(rs.post("/api/v1/memories/batch", "{\"documents\":[" + docs + "]}", rs.key)).path("succeeded").asInt()).isEqualTo(25);
    rs.awaitIngested();
    JsonNode first = ok(rs.get("/api/v1/memories?user_id=walter", rs.key));
    long total = first.path("total").asLong();
    assertThat(total).isGreaterThan(20);
    assertThat(first.path("page").asInt()).isEqualTo(1);
    assertThat(first.path("page_size").asInt()).isEqualTo(20);
    assertThat(first.path("data")).hasSize(20);
    assertThat(first.path("total_pages").asLong()).isEqualTo((total + 19) / 20);
    assertThat(first.path("memories")).isEqualTo(first.path("data"));
    JsonNode second = ok(rs.get("/v1/memories?user_id=walter&page=2&page_size=20", rs.key));
    assertThat(second.path("data")).hasSize((int) (total - 20));
    assertThat(rs.get("/api/v1/memories?page_size=101", rs.key).statusCode()).isEqualTo(400);
    // The older limit/offset parameters still page as before.
    JsonNode old = ok(rs.get("/api/v1/memories?user_id=walter&limit=5&offset=5", rs.key));
    assertThat(old.path("memories")).hasSize(5);
    assertThat(old.path("offset").asInt()).isEqualTo(5);
  }

  @Test
  void anUpdateAppliesTextMetadataAndDocumentType() throws Exception {
    JsonNode created = ok(rs.post("/api/v1/memories/create", "{\"document\":\"Xena rides a red bicycle to work.\",\"user_id\":\"xena\"}", rs.key));
    String id = memoriesOf(created.path("ingestion_id").asText()).get(0).path("memory_id").asText();
    JsonNode updated = ok(send("PATCH", "/api/v1/memories/" + id,
        "{\"document\":\"Xena rides a blue bicycle to work.\",\"merge_strategy\":\"replace\",\"document_type\":\"email\",\"metadata\":{\"source\":\"crm\"}}"));
    assertThat(updated.path("content").asText()).isEqualTo("Xena rides a blue bicycle to work.");
    assertThat(updated.path("document_type").asText()).isEqualTo("email");
    assertThat(updated.path("metadata").path("source").asText()).isEqualTo("crm");
    JsonNode read = ok(rs.get("/v1/memories/" + id, rs.key));
    assertThat(read.path("metadata").path("source").asText()).isEqualTo("crm");
  }

  @Test
  void uploadsReadPdfHtmlMarkdownJsonAndTextAndRefuseOtherFormatsWith415() throws Exception {
    JsonNode pdf = ok(upload("notes.pdf", "application/pdf", pdf("Uma collects antique maps of Portugal.")));
    assertThat(memoriesOf(pdf.path("ingestion_id").asText()).toString()).contains("antique maps of Portugal").doesNotContain("%PDF");

    JsonNode html = ok(upload("page.html", "text/html",
        "<html><head><style>p{color:red}</style><script>var x=1;</script></head><body><p>Uma speaks fluent Finnish.</p></body></html>"
            .getBytes(StandardCharsets.UTF_8)));
    String htmlMemories = memoriesOf(html.path("ingestion_id").asText()).toString();
    assertThat(htmlMemories).contains("fluent Finnish").doesNotContain("<p>").doesNotContain("var x");

    assertThat(ok(upload("a.md", "text/markdown", "# Hobbies\n\nUma climbs in Fontainebleau.".getBytes(StandardCharsets.UTF_8)))
        .path("status").asText()).isEqualTo("queued");
    assertThat(ok(upload("a.json", "application/json", "{\"pet\":\"Uma has a parrot\"}".getBytes(StandardCharsets.UTF_8)))
        .path("status").asText()).isEqualTo("queued");
    assertThat(ok(upload("a.txt", "application/octet-stream", "Uma drinks green tea.".getBytes(StandardCharsets.UTF_8)))
        .path("status").asText()).isEqualTo("queued");

    byte[] png = Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII=");
    for (var refused : java.util.List.of(upload("pixel.png", "image/png", png), upload("pixel.txt", "text/plain", png),
        upload("blob.bin", "application/octet-stream", new byte[] {(byte) 0xC3, 0x28, (byte) 0xA0, (byte) 0xA1}),
        upload("a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", new byte[] {'P', 'K', 3, 4, 1, 2}))) {
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(415);
      JsonNode body = JSON.readTree(refused.body());
      assertThat(body.path("code").asText()).isEqualTo("unsupported_media_type");
      assertThat(body.path("detail").asText()).contains("PDF, HTML, Markdown, JSON or plain UTF-8 text");
    }
    rs.awaitIngested();
    assertThat(rs.server.engine().store().memories().list(new dev.synap.core.store.MemoryFilter(
        rs.server.engine().tenancy().instances().getFirst().instanceId(), null, null, null, null, java.util.Set.of(), true), 1000, 0).toString())
        .doesNotContain("PNG").doesNotContain("\uFFFD");
  }

  static byte[] pdf(String line) throws Exception {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage();
      doc.addPage(page);
      try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
        s.beginText();
        s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        s.newLineAtOffset(72, 700);
        s.showText(line);
        s.endText();
      }
      doc.save(out);
      return out.toByteArray();
    }
  }
}
