package dev.synap.core.ingest;

import dev.synap.core.InvalidInputException;
import dev.synap.core.UnsupportedMediaException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jsoup.Jsoup;

/**
 * Turns an uploaded file into the text the chunker reads. Read formats: PDF (text layer, via
 * PDFBox), HTML (visible text, via jsoup), Markdown, JSON and plain text. Everything else is
 * refused with {@link UnsupportedMediaException}, never decoded as UTF-8: a PNG read as text
 * would become thousands of replacement characters stored as "memories".
 *
 * <p>The bytes decide first (a PDF's {@code %PDF-} header, the magic numbers of common binary
 * formats, then whether the rest is valid UTF-8 without NUL bytes), the declared content type and
 * file name second: clients often send {@code application/octet-stream}, and a wrong declared
 * type must not let binary content through.
 */
public final class UploadedDocument {
  /** The text of a document and the {@code document_type} it was read as. */
  public record Text(String text, String documentType) {}

  static final String SUPPORTED = "PDF, HTML, Markdown, JSON or plain UTF-8 text";

  private UploadedDocument() {}

  /**
   * @param contentType the part's declared type, may be null
   * @param fileName the part's file name, may be null
   */
  public static Text read(byte[] bytes, String contentType, String fileName) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
    String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
    if (startsWith(bytes, "%PDF-".getBytes(StandardCharsets.US_ASCII))) return new Text(pdf(bytes), "pdf");
    String binary = binaryKind(bytes);
    if (binary != null) throw refused(binary + " content");
    if (type.equals("application/pdf") || name.endsWith(".pdf")) throw refused("a file declared as PDF without a PDF header");
    if (!type.isEmpty() && !textual(type)) throw refused("content type '" + type + "'");
    String text = utf8(bytes);
    if (text == null) throw refused("content that is not UTF-8 text" + (type.isEmpty() ? "" : " (declared '" + type + "')"));
    if (type.equals("text/html") || type.equals("application/xhtml+xml") || name.endsWith(".html") || name.endsWith(".htm") || looksLikeHtml(text)) {
      return new Text(Jsoup.parse(text).wholeText().strip(), "document");
    }
    if (type.equals("text/markdown") || type.equals("text/x-markdown") || name.endsWith(".md") || name.endsWith(".markdown")) {
      return new Text(text, "markdown");
    }
    if (type.equals("application/json") || type.endsWith("+json") || name.endsWith(".json")) return new Text(text, "json");
    return new Text(text, null);
  }

  private static boolean textual(String type) {
    return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json") || type.equals("application/xhtml+xml")
        || type.equals("application/octet-stream") || type.equals("application/x-www-form-urlencoded");
  }

  private static String pdf(byte[] bytes) {
    try (PDDocument doc = Loader.loadPDF(bytes)) {
      String text = new PDFTextStripper().getText(doc).strip();
      if (text.isEmpty()) throw new InvalidInputException("the PDF has no text layer (a scanned image?); send its text instead");
      return text;
    } catch (InvalidPasswordException e) {
      throw new InvalidInputException("the PDF is encrypted; send an unencrypted copy");
    } catch (IOException e) {
      throw new InvalidInputException("the PDF could not be read: it is damaged or truncated");
    }
  }

  /** Strict decoding: a malformed byte sequence or a NUL byte means the content is not text. */
  private static String utf8(byte[] bytes) {
    for (byte b : bytes) if (b == 0) return null;
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean looksLikeHtml(String text) {
    String head = text.stripLeading().toLowerCase(Locale.ROOT);
    return head.startsWith("<!doctype html") || head.startsWith("<html");
  }

  /** The formats people upload by mistake most often, named so the refusal says what was sent. */
  private static String binaryKind(byte[] b) {
    if (startsWith(b, new byte[] {(byte) 0x89, 'P', 'N', 'G'})) return "PNG image";
    if (startsWith(b, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) return "JPEG image";
    if (startsWith(b, "GIF8".getBytes(StandardCharsets.US_ASCII))) return "GIF image";
    if (startsWith(b, "RIFF".getBytes(StandardCharsets.US_ASCII))) return "RIFF (WebP, WAV or AVI) media";
    if (startsWith(b, new byte[] {'P', 'K', 3, 4})) return "ZIP archive (also DOCX, XLSX, ODT)";
    if (startsWith(b, new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0})) return "legacy Office document";
    if (startsWith(b, new byte[] {0x1F, (byte) 0x8B})) return "gzip archive";
    if (startsWith(b, "ID3".getBytes(StandardCharsets.US_ASCII))) return "MP3 audio";
    if (b.length > 8 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') return "MP4/QuickTime media";
    if (startsWith(b, new byte[] {0x7F, 'E', 'L', 'F'})) return "executable";
    return null;
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    if (b.length < prefix.length) return false;
    for (int i = 0; i < prefix.length; i++) if (b[i] != prefix[i]) return false;
    return true;
  }

  private static UnsupportedMediaException refused(String what) {
    return new UnsupportedMediaException("unsupported upload: " + what + "; send " + SUPPORTED);
  }
}
