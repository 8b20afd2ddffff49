package dev.synap.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.synap.proto.v1.SynapServiceProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rebuilds every row of the official {@code wire-fields.tsv} from our generated descriptors and
 * compares them one by one, so a renumbered or retyped field fails with the offending row.
 */
class WireContractTest {

  /** The official contract table, kept in this module's test resources (see SOURCE.md beside it). */
  static List<String> contractRows() throws IOException {
    try (InputStream in = WireContractTest.class.getResourceAsStream("/wire-contract/wire-fields.tsv")) {
      if (in == null) throw new IllegalStateException("wire-contract/wire-fields.tsv is not on the test classpath");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Test
  void everyFieldMatchesTheOfficialContractRowByRow() throws IOException {
    List<String> expected = contractRows();
    expected = expected.subList(1, expected.size()).stream().filter(l -> !l.isBlank()).toList();

    List<String> actual = new ArrayList<>();
    for (Descriptor message : SynapServiceProto.getDescriptor().getMessageTypes()) {
      appendRows(message, actual);
    }

    for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
      String want = i < expected.size() ? expected.get(i) : "<no row>";
      String got = i < actual.size() ? actual.get(i) : "<no row>";
      assertThat(got).as("row %d of wire-fields.tsv", i + 2).isEqualTo(want);
    }
    assertThat(actual).hasSize(128);
  }

  @Test
  void serviceAndMethodsMatchTheContract() {
    assertThat(SynapServiceProto.getDescriptor().getPackage()).isEqualTo("synap.v1");
    assertThat(SynapServiceProto.getDescriptor().toProto().getSyntax()).isEqualTo("proto3");
    ServiceDescriptor service = SynapServiceProto.getDescriptor().findServiceByName("SynapService");
    assertThat(service.getFullName()).isEqualTo("synap.v1.SynapService");
    MethodDescriptor listen = service.findMethodByName("Listen");
    assertThat(listen.isClientStreaming()).isTrue();
    assertThat(listen.isServerStreaming()).isTrue();
    assertThat(listen.getInputType().getFullName()).isEqualTo("synap.v1.StreamEvent");
    assertThat(listen.getOutputType().getFullName()).isEqualTo("synap.v1.StreamResponse");
    MethodDescriptor telemetry = service.findMethodByName("IngestTelemetry");
    assertThat(telemetry.isClientStreaming()).isTrue();
    assertThat(telemetry.isServerStreaming()).isFalse();
    assertThat(telemetry.getInputType().getFullName()).isEqualTo("synap.v1.TelemetryEvent");
    assertThat(telemetry.getOutputType().getFullName()).isEqualTo("synap.v1.TelemetryAck");
    assertThat(service.getMethods()).hasSize(2);
    assertThat(SynapServiceProto.getDescriptor().getEnumTypes()).isEmpty();
    assertThat(SynapServiceProto.getDescriptor().getDependencies()).isEmpty();
  }

  private static void appendRows(Descriptor message, List<String> rows) {
    for (FieldDescriptor field : message.getFields()) {
      String oneof = field.getRealContainingOneof() == null ? "" : field.getRealContainingOneof().getName();
      rows.add(String.join("\t", message.getFullName(), field.getName(),
          Integer.toString(field.getNumber()), typeOf(field), labelOf(field), oneof));
    }
    for (Descriptor nested : message.getNestedTypes()) appendRows(nested, rows);
  }

  private static String labelOf(FieldDescriptor field) {
    if (field.isMapField()) return "map";
    if (field.isRepeated()) return "repeated";
    if (field.hasPresence() && field.getContainingOneof() == null && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return "optional-explicit"; // proto3 `optional` keyword: must never appear
    }
    return "optional";
  }

  private static String typeOf(FieldDescriptor field) {
    if (field.isMapField()) {
      Descriptor entry = field.getMessageType();
      return "map<" + scalarOrMessage(entry.findFieldByName("key")) + "," + scalarOrMessage(entry.findFieldByName("value")) + ">";
    }
    return scalarOrMessage(field);
  }

  private static String scalarOrMessage(FieldDescriptor field) {
    return switch (field.getType()) {
      case MESSAGE -> field.getMessageType().getFullName();
      case STRING -> "string";
      case INT32 -> "int32";
      case INT64 -> "int64";
      case BOOL -> "bool";
      case FLOAT -> "float";
      default -> field.getType().name().toLowerCase();
    };
  }
}
