package dev.synap.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.synap.core.MemoryEngine;
import dev.synap.core.control.ControlPlane;
import dev.synap.core.control.InstanceInfo;
import dev.synap.core.control.InstanceUsage;
import dev.synap.core.tenant.RelationshipMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code synap instances create|list|get|update|archive|delete}: the admin API's instance routes
 * for operators, on the data folder directly. Output is the API's JSON (one object per line for
 * {@code list}), so scripts read both the same way.
 */
@Command(name = "instances", mixinStandardHelpOptions = true, description = "Create, list, update, archive and delete instances.",
    subcommands = {InstancesCommand.Create.class, InstancesCommand.ListInstances.class, InstancesCommand.Get.class,
        InstancesCommand.Update.class, InstancesCommand.Archive.class, InstancesCommand.Delete.class})
final class InstancesCommand {
  private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  static Map<String, Object> json(InstanceInfo i, InstanceUsage u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("instance_id", i.instanceId());
    m.put("client_id", i.clientId());
    m.put("name", i.name());
    m.put("description", i.description());
    m.put("metadata", i.metadata());
    m.put("user_context_isolation", i.mode().wireName());
    m.put("status", i.status());
    m.put("created_at", String.valueOf(i.createdAt()));
    m.put("archived_at", i.archivedAt() == null ? null : i.archivedAt().toString());
    if (u != null) {
      m.put("memory_count", u.memoryCount());
      m.put("api_calls_24h", u.apiCalls24h());
      m.put("last_active_at", u.lastActiveAt() == null ? null : u.lastActiveAt().toString());
    }
    return m;
  }

  static void print(Object o) {
    try {
      System.out.println(JSON.writeValueAsString(o));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an instance; prints it as JSON.")
  static final class Create implements Callable<Integer> {
    @Mixin KeysCommand.DataDirOption data = new KeysCommand.DataDirOption();
    @Option(names = "--name", required = true) String name;
    @Option(names = "--description") String description;
    @Option(names = "--mode", description = "user_context_isolation: b2c or b2b.", defaultValue = "b2c") String mode;
    @Option(names = "--metadata", description = "A JSON object.") String metadata;

    @Override
    public Integer call() throws Exception {
      RelationshipMode m = RelationshipMode.parse(mode).orElseThrow(() -> new IllegalArgumentException("--mode must be b2c or b2b"));
      Map<String, Object> meta = metadata == null ? Map.of() : JSON.readValue(metadata, new TypeReference<Map<String, Object>>() {});
      try (MemoryEngine engine = MemoryEngine.openForAdmin(data.resolve())) {
        print(json(engine.control().createInstance(AdminCommand.ACTOR, name, description, meta, m), null));
        return 0;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List instances, one JSON object per line.")
  static final class ListInstances implements Callable<Integer> {
    @Mixin KeysCommand.DataDirOption data = new KeysCommand.DataDirOption();
    @Option(names = "--page", defaultValue = "1") int page;
    @Option(names = "--page-size", defaultValue = "100") int pageSize;
    @Option(names = "--include-archived") boolean archived;

    @Override
    public Integer call() {
      try (MemoryEngine engine = MemoryEngine.openForAdmin(data.resolve())) {
        ControlPlane.Page<InstanceInfo> p = engine.control().instances(page, pageSize, archived);
        for (InstanceInfo i : p.items()) print(json(i, null));
        return 0;
      }
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "One instance with its usage.")
  static final class Get implements Callable<Integer> {
    @Mixin KeysCommand.DataDirOption data = new KeysCommand.DataDirOption();
    @Parameters(paramLabel = "INSTANCE_ID") String id;

    @Override
    public Integer call() {
      try (MemoryEngine engine = MemoryEngine.openForAdmin(data.resolve())) {
        print(json(engine.control().instance(id), engine.control().usage(id)));
        return 0;
      }
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true, description = "Change name, description or metadata.")
  static final class Update implements Callable<Integer> {
    @Mixin KeysCommand.DataDirOption data = new KeysCommand.DataDirOption();
    @Parameters(paramLabel = "INSTANCE_ID") String id;
    @Option(names = "--name") String name;
    @Option(names = "--description") String description;
    @Option(names = "--metadata", description = "A JSON object (replaces the metadata).") String metadata;
    @Option(names = "--reason", description = "Why (kept in the audit log).") String reason;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> meta = metadata == null ? null : JSON.readValue(metadata, new TypeReference<Map<String, Object>>() {});
      try (MemoryEngine engine = MemoryEngine.openForAdmin(data.resolve())) {
        print(json(engine.control().update(AdminCommand.ACTOR, id, name, description, meta, reason), null));
        return 0;
      }
    }
  }

  @Command(name = "archive", mixinStandardHelpOptions = true, description = "Archive an instance: read-only, then deletable.")
  static final class Archive implements Callable<Integer> {
    @Mixin KeysCommand.DataDirOption data = new KeysCommand.DataDirOption();
    @Parameters(paramLabel = "INSTANCE_ID") String id;
    @Option(names = "--reason") String reason;

    @Override
    public Integer call() {
      try (MemoryEngine engine = MemoryEngine.openForAdmin(data.resolve())) {
        print(json(engine.control().archive(AdminCommand.ACTOR, id, reason), null));
        return 0;
      }
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an archived instance and everything it holds.")
  static final class Delete implements Callable<Integer> {
    @Mixin KeysCommand.DataDirOption data = new KeysCommand.DataDirOption();
    @Parameters(paramLabel = "INSTANCE_ID") String id;
    @Option(names = "--reason") String reason;

    @Override
    public Integer call() {
      try (MemoryEngine engine = MemoryEngine.openForAdmin(data.resolve())) {
        engine.control().delete(AdminCommand.ACTOR, id, reason);
        System.err.println("deleted " + id);
        return 0;
      }
    }
  }
}
