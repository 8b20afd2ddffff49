package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SDK is the JPMS module {@code dev.synap.sdk} exporting only its API package, and that API
 * speaks in its own types: no public method of an exported class takes or returns a Jackson,
 * protobuf or gRPC type. (The SDK's tests run on the module path, inside the module.)
 */
class ModuleTest {
  @Test
  void theSdkIsANamedModuleExportingOnlyItsApiPackage() {
    Module module = Synap.class.getModule();
    assertThat(module.isNamed()).as("tests run on the module path").isTrue();
    ModuleDescriptor d = module.getDescriptor();
    assertThat(d.name()).isEqualTo("dev.synap.sdk");
    assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("dev.synap.sdk");
    assertThat(d.exports()).allMatch(e -> !e.isQualified());
  }

  @Test
  void noPublicSignatureNamesAThirdPartyType() throws Exception {
    List<String> leaks = new ArrayList<>();
    List<String> classes;
    try (ModuleReader r = ModuleLayer.boot().configuration().findModule("dev.synap.sdk").orElseThrow().reference().open()) {
      classes = r.list().filter(n -> n.startsWith("dev/synap/sdk/") && n.endsWith(".class"))
          .map(n -> n.substring(0, n.length() - 6).replace('/', '.')).toList();
    }
    for (String name : classes) {
      Class<?> c = Class.forName(name);
      // Only the API: public classes of the main sources (the tests are patched into the module too).
      if (!Modifier.isPublic(c.getModifiers()) || c.getProtectionDomain().getCodeSource().getLocation().getPath().contains("test-classes")) continue;
      for (Method m : c.getDeclaredMethods()) {
        if (!Modifier.isPublic(m.getModifiers())) continue;
        // The generic signature, so that a List<JsonNode> counts too.
        String signature = m.toGenericString();
        for (String foreign : List.of("com.fasterxml.", "com.google.", "io.grpc.", "dev.synap.proto.")) {
          if (signature.contains(foreign)) leaks.add(name + ": " + signature);
        }
      }
    }
    assertThat(classes).contains("dev.synap.sdk.Synap", "dev.synap.sdk.Memory");
    assertThat(leaks).isEmpty();
  }
}
