package dev.synap.core.transfer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.core.control.WebhookSecrets;
import dev.synap.core.store.InstanceArchive;
import dev.synap.core.store.SystemOfRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a file {@link ExportFile} wrote and imports it through the store's {@link InstanceArchive}
 * in one transaction.
 *
 * <p>Where it lands: with no target, or with the file's own instance as target, rows keep their
 * ids: an instance moves to another server (with its client, instance and key rows, so its keys
 * keep working there), or a user's data returns to their instance. Into another instance, the
 * tenancy rows are left out (the source's keys must not open the target), every row takes the
 * target's instance id, and ids that are unique across instances are remapped ({@link IdRemap}),
 * so the same file can also be imported beside its source.
 */
public final class ImportFile {
  private ImportFile() {}

  /**
   * What an import did.
   *
   * @param newWebhookSecrets the signing secrets given to webhooks whose file left theirs out (shown once: their receivers need them)
   */
  public record Imported(String instanceId, String scope, boolean remapped, Map<String, Integer> rows, List<NewWebhookSecret> newWebhookSecrets) {}

  /** A webhook the import gave a new signing secret. */
  public record NewWebhookSecret(String webhookId, String url, String secret) {}

  private static final Set<String> TENANCY = Set.of("clients", "instances", "api_keys");
  private static final TypeReference<LinkedHashMap<String, Object>> ROW = new TypeReference<>() {};

  /**
   * @param targetInstanceId where to import; null for the file's own instance
   */
  public static Imported read(SystemOfRecord store, InputStream in, String targetInstanceId) {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    try {
      JsonNode header = parse(r.readLine(), 1);
      if (header == null || header.path("synap_export").asInt() != ExportFile.VERSION) {
        throw new IllegalArgumentException("not a Synap export of version " + ExportFile.VERSION + " (first line)");
      }
      String source = header.path("instance_id").asText();
      String scope = header.path("scope").asText();
      String target = targetInstanceId == null ? source : targetInstanceId;
      boolean remap = !target.equals(source);
      boolean targetExists = store.tenants().findInstance(target).isPresent();
      if (!targetExists && (remap || !scope.equals("instance"))) {
        throw new IllegalArgumentException("no instance " + target + " to import into (a user's data goes into an existing instance)");
      }
      IdRemap ids = new IdRemap(target);
      List<InstanceArchive.Row> rows = new ArrayList<>();
      List<NewWebhookSecret> secrets = new ArrayList<>();
      Set<String> tables = Set.copyOf(store.archive().tables());
      boolean ended = false, configsChecked = false;
      int lineNo = 1, seen = 0;
      for (String line; (line = r.readLine()) != null; ) {
        lineNo++;
        if (line.isBlank()) continue;
        if (ended) throw new IllegalArgumentException("line " + lineNo + ": data after the end line");
        JsonNode node = parse(line, lineNo);
        if (node.path("end").asBoolean(false)) {
          if (node.path("rows").asInt(-1) != seen) {
            throw new IllegalArgumentException("the end line counts " + node.path("rows").asInt() + " rows, the file has " + seen);
          }
          ended = true;
          continue;
        }
        seen++;
        String table = node.path("table").asText();
        if (!tables.contains(table)) throw new IllegalArgumentException("line " + lineNo + ": unknown table '" + table + "'");
        if (!node.path("row").isObject()) throw new IllegalArgumentException("line " + lineNo + ": row must be an object");
        Map<String, Object> columns = ExportFile.JSON.convertValue(node.get("row"), ROW);
        if (!source.equals(columns.getOrDefault("instance_id", source))) {
          throw new IllegalArgumentException("line " + lineNo + ": a row of another instance");
        }
        // The instance's own tenancy rows exist already where it is imported into.
        if (TENANCY.contains(table) && (remap || targetExists)) continue;
        if (remap) columns = ids.apply(table, columns);
        if (table.equals(ExportFile.WEBHOOKS) && columns.get(ExportFile.SECRET) == null) {
          // Exported without its secret: a new one, which the receiver must be given.
          columns.put(ExportFile.SECRET, WebhookSecrets.generate());
          secrets.add(new NewWebhookSecret((String) columns.get("webhook_id"), (String) columns.get("url"), (String) columns.get(ExportFile.SECRET)));
        }
        if (table.equals("memory_configs") && !configsChecked) {
          configsChecked = true;
          // Versions number from 1 per instance: two histories cannot be merged, and two active versions must not be.
          if (targetExists && !store.memoryConfigs().list(target).isEmpty()) {
            throw new IllegalArgumentException("instance " + target + " has memory configuration versions of its own; import an instance file into an "
                + "instance without any (a new one), or remove the file's memory_configs lines to keep the target's");
          }
        }
        rows.add(new InstanceArchive.Row(table, columns));
      }
      if (!ended) throw new IllegalArgumentException("the file ends without its end line (truncated?)");
      Map<String, Integer> counts = store.archive().importRows(rows.iterator());
      return new Imported(target, scope, remap, counts, List.copyOf(secrets));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode parse(String line, int lineNo) {
    if (line == null) throw new IllegalArgumentException("empty file");
    try {
      return ExportFile.JSON.readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException("line " + lineNo + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }
}
