package dev.synap.server.tls;

import java.security.KeyStore;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** A Jetty connector serving HTTPS (HTTP/1.1 over TLS) with an in-memory key store. */
public final class HttpsConnector {
  private HttpsConnector() {}

  public static ServerConnector create(Server server, HttpConfiguration base, KeyStore keyStore, String host, int port) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keyStore);
    ssl.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
    HttpConfiguration https = new HttpConfiguration(base);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // Self-hosted servers are often reached by IP or a name the certificate does not list;
    // hostname checking is the client's job, not a reason for the server to answer 400.
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
    c.setHost(host);
    c.setPort(port);
    return c;
  }
}
