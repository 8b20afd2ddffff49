/**
 * The Synap Java SDK. Only {@code dev.synap.sdk} is exported: transports, the wire types of
 * {@code synap-proto} and the JSON library stay implementation details, so none of them appears in
 * a public signature.
 */
// gRPC and protobuf ship as automatic modules; the names used here are the Automatic-Module-Name
// entries of their jars, so they are stable.
@SuppressWarnings("requires-automatic")
module dev.synap.sdk {
  exports dev.synap.sdk;

  requires java.net.http;
  requires dev.synap.proto;
  requires io.grpc;
  requires io.grpc.stub;
  requires io.grpc.netty.shaded;
  requires com.google.protobuf;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
}
