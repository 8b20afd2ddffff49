/**
 * The synap.v1 wire contract (generated messages and gRPC stubs). A named module so that the SDK's
 * module can require it. An Automatic-Module-Name in the jar's manifest would name the jar only:
 * a reactor build that stops before {@code package} (e.g. {@code -am compile}) hands the SDK's
 * compiler this module's {@code target/classes}, and javac reads a directory as a module only when
 * it holds a {@code module-info.class}.
 */
// protobuf and gRPC ship as automatic modules; their names are stable (Automatic-Module-Name).
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.synap.proto {
  exports dev.synap.proto.v1;

  // Transitive: the generated types extend protobuf's and gRPC's, so a reader of this module reads them.
  requires transitive com.google.protobuf;
  requires transitive io.grpc;
  requires transitive io.grpc.stub;
  requires io.grpc.protobuf;
  // The generated future stubs return Guava's ListenableFuture; nobody here uses them.
  requires static com.google.common;
}
