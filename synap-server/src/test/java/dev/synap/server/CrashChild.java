package dev.synap.server;

import dev.synap.core.MemoryEngine;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.ingest.Recorded;
import dev.synap.core.tenant.RelationshipMode;
import java.nio.file.Path;
import java.util.Map;

/**
 * Child process for {@link KillNineTest}: records messages as fast as it can and prints each
 * acknowledgement, until it is killed. Not a test itself.
 */
public final class CrashChild {
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    MemoryEngine engine = MemoryEngine.open(MemoryEngine.Config.defaults(dir));
    String instance = engine.tenancy().bootstrap(RelationshipMode.B2C).instance().instanceId();
    String conv = "6f1c2a52-4b8e-4f5e-9d61-3a7b2c9e8d10";
    System.out.println("READY " + instance);
    for (int i = 0; i < count; i++) {
      Recorded r = engine.ingest().record(new RecordRequest(instance, conv, "user-" + (i % 7), null, null, "user", "message",
          "Note " + i + ": I enjoy visiting museum number " + i + " with my sister.", Map.of(), null, "key-" + i));
      System.out.println("ACK " + i + " " + r.messageId());
      System.out.flush();
    }
    System.out.println("DONE");
  }
}
