package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.proto.v1.SynapServiceProto;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SDK and the wire contract must load on Java 21 (class-file major version 65), while the
 * server they are tested against runs on 25. The build's enforcer rule checks the SDK's third-party
 * runtime dependencies; this test checks our own two artifacts, whichever form the build hands the
 * tests (a classes folder in the reactor, a jar otherwise).
 */
class Java21BytecodeTest {
  private static final int JAVA_21 = 65;

  @Test
  void sdkAndProtoClassesLoadOnJava21() throws Exception {
    for (Class<?> anchor : List.of(Synap.class, SynapServiceProto.class)) {
      List<String> tooNew = new ArrayList<>();
      int checked = classVersions(location(anchor), tooNew);
      assertThat(checked).as("classes found beside %s", anchor.getName()).isGreaterThan(10);
      assertThat(tooNew).as("classes newer than Java 21 beside %s", anchor.getName()).isEmpty();
    }
  }

  private static Path location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** Reads each class file's major version; returns how many were read, adds offenders to {@code tooNew}. */
  private static int classVersions(Path where, List<String> tooNew) throws IOException {
    int checked = 0;
    if (Files.isDirectory(where)) {
      List<Path> classes;
      try (Stream<Path> files = Files.walk(where)) {
        classes = files.filter(p -> p.toString().endsWith(".class")).toList();
      }
      for (Path p : classes) {
        try (InputStream in = Files.newInputStream(p)) {
          int major = major(in);
          if (major > JAVA_21) tooNew.add(where.relativize(p) + " (" + major + ")");
        }
        checked++;
      }
      return checked;
    }
    try (JarFile jar = new JarFile(where.toFile())) {
      for (JarEntry e : jar.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
        try (InputStream in = jar.getInputStream(e)) {
          int major = major(in);
          if (major > JAVA_21) tooNew.add(e.getName() + " (" + major + ")");
        }
        checked++;
      }
    }
    return checked;
  }

  private static int major(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    if (data.readInt() != 0xCAFEBABE) throw new IOException("not a class file");
    data.readUnsignedShort(); // minor
    return data.readUnsignedShort();
  }
}
