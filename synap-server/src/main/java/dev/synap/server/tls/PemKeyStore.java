package dev.synap.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the PEM certificate chain and PKCS#8 private key that gRPC (Netty) reads directly into an
 * in-memory key store for Jetty, so both ports are configured by the same two files
 * ({@code tls.cert}, {@code tls.key}) and no keystore file or extra dependency is needed.
 */
public final class PemKeyStore {
  public static final char[] PASSWORD = "synap".toCharArray();
  private static final Pattern PKCS8 = Pattern.compile("-----BEGIN PRIVATE KEY-----(.*?)-----END PRIVATE KEY-----", Pattern.DOTALL);

  private PemKeyStore() {}

  public static KeyStore load(Path certChain, Path pkcs8Key) {
    try {
      List<? extends Certificate> chain;
      try (var in = Files.newInputStream(certChain)) {
        chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      }
      if (chain.isEmpty()) throw new IllegalArgumentException("no certificate in " + certChain);
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("synap", privateKey(Files.readString(pkcs8Key), pkcs8Key), PASSWORD, chain.toArray(Certificate[]::new));
      return ks;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot load TLS certificate " + certChain + " / key " + pkcs8Key + ": " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(String pem, Path file) throws GeneralSecurityException {
    Matcher m = PKCS8.matcher(pem);
    if (!m.find()) {
      throw new IllegalArgumentException(file + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it with "
          + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem'");
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
    GeneralSecurityException last = null;
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }
}
