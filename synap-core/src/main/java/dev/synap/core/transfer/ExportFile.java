package dev.synap.core.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synap.core.store.InstanceArchive;
import dev.synap.core.store.SystemOfRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * Writes an instance or a user as JSON Lines: a header line, one line per row
 * ({@code {"table": ..., "row": {...}}}), and an end line with the row count, so a truncated file
 * is recognised before anything is imported. Rows come from the store's {@link InstanceArchive},
 * whichever store that is.
 */
public final class ExportFile {
  /** The format's version; an import refuses files of other versions. */
  public static final int VERSION = 1;
  static final ObjectMapper JSON = new ObjectMapper();
  static final String WEBHOOKS = "webhooks";
  static final String SECRET = "secret";

  private ExportFile() {}

  /** As {@link #write(SystemOfRecord, InstanceArchive.Selection, OutputStream, boolean)} without webhook secrets. */
  public static Map<String, Integer> write(SystemOfRecord store, InstanceArchive.Selection selection, OutputStream out) {
    return write(store, selection, out, false);
  }

  /**
   * Writes the selection to {@code out} (left open) and returns the rows written per table.
   *
   * @param webhookSecrets whether webhook rows keep their signing secret. Off by default: a file
   *     that can forge the instance's webhook calls must be asked for. Without them, the import
   *     gives each webhook a new secret and reports it once ({@link ImportFile.Imported#newWebhookSecrets}).
   */
  public static Map<String, Integer> write(SystemOfRecord store, InstanceArchive.Selection selection, OutputStream out, boolean webhookSecrets) {
    if (store.tenants().findInstance(selection.instanceId()).isEmpty()) {
      throw new IllegalArgumentException("no instance " + selection.instanceId());
    }
    Map<String, Integer> counts = new java.util.LinkedHashMap<>();
    try {
      BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      ObjectNode header = JSON.createObjectNode();
      header.put("synap_export", VERSION);
      header.put("scope", selection.wholeInstance() ? "instance" : "user");
      header.put("instance_id", selection.instanceId());
      header.put("customer_id", selection.customerId());
      header.put("user_id", selection.userId());
      header.put("exported_at", Instant.now().toString());
      header.set("tables", JSON.valueToTree(store.archive().tables()));
      header.put("webhook_secrets", webhookSecrets);
      line(w, header);
      store.archive().export(selection, row -> {
        ObjectNode o = JSON.createObjectNode();
        o.put("table", row.table());
        Map<String, Object> columns = row.columns();
        if (!webhookSecrets && row.table().equals(WEBHOOKS)) {
          columns = new java.util.LinkedHashMap<>(columns);
          columns.remove(SECRET);
        }
        o.set("row", JSON.valueToTree(columns));
        line(w, o);
        counts.merge(row.table(), 1, Integer::sum);
      });
      ObjectNode end = JSON.createObjectNode();
      end.put("end", true);
      end.put("rows", counts.values().stream().mapToInt(Integer::intValue).sum());
      line(w, end);
      w.flush();
      return counts;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void line(BufferedWriter w, ObjectNode o) {
    try {
      w.write(JSON.writeValueAsString(o));
      w.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
