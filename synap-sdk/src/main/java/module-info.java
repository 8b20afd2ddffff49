/**
 * The Synap Java SDK. Only {@code dev.synap.sdk} is exported: transports, the wire types of
 * {@code synap-proto} and the JSON library stay implementation details, so none of them appears in
 * a public signature.
 *
 * <p>The gRPC transport is found at run time (grpc-api's channel registry), not required here:
 * {@code grpc-netty-shaded}, which the SDK's POM brings, declares a module named
 * {@code io.netty.internal.tcnative} that exports nothing, so it cannot be required by name and
 * works from the class path, where the automatic {@code io.grpc} module reads it.
 */
// gRPC, protobuf and synap-proto's dependencies are automatic modules with stable names.
@SuppressWarnings("requires-automatic")
module dev.synap.sdk {
  exports dev.synap.sdk;

  requires java.net.http;
  requires dev.synap.proto;
  requires io.grpc;
  requires io.grpc.stub;
  requires com.google.protobuf;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
}
