package io.chimera.perf.testing;

import io.chimera.perf.testing.internal.Binaries;
import io.chimera.perf.testing.internal.Certificates;
import io.chimera.perf.testing.internal.Ports;
import io.chimera.perf.testing.internal.RedisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The embedded {@code redis-server} serving TLS on one port (clients need not present a
 * certificate) and plain RESP on another, with a throw-away CA made by the {@code openssl} command.
 * Its certificate names {@code 127.0.0.1} and {@code localhost}, so a client verifying the peer
 * fully (chain and host name) accepts it once it trusts {@link #caCertificate()}.
 *
 * <pre>{@code
 * try (RedisTlsServer redis = RedisTlsServer.launch()) {
 *   RedisTier tier = RedisTier.builder(redis.uri()).trustedCertificates(redis.caCertificate()).build();
 * }
 * }</pre>
 */
public final class RedisTlsServer implements AutoCloseable {
  private final RedisProcess process;
  private final int tlsPort;
  private final Path certificates;

  private RedisTlsServer(RedisProcess process, int tlsPort, Path certificates) {
    this.process = process;
    this.tlsPort = tlsPort;
    this.certificates = certificates;
  }

  /**
   * Makes the certificates and starts the server on free loopback ports.
   *
   * @throws FixtureException if {@code openssl} is missing or the server does not start
   */
  public static RedisTlsServer launch() {
    return launch("IP:127.0.0.1,DNS:localhost");
  }

  /**
   * Like {@link #launch()}, with a server certificate naming only {@code subjectAltNames}
   * (openssl's form, e.g. {@code DNS:cache.internal}): a client verifying host names then refuses
   * {@link #uri()}.
   *
   * @throws FixtureException if {@code openssl} is missing or the server does not start
   */
  public static RedisTlsServer launch(String subjectAltNames) {
    Path certs;
    try {
      certs = Files.createTempDirectory("chimera-redis-tls-");
    } catch (IOException e) {
      throw new FixtureException("cannot create a directory for TLS certificates", e);
    }
    try {
      Certificates.generate(certs, subjectAltNames);
      // RedisProcess retries on another plain port; a taken TLS port needs a new one from here
      FixtureException last = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        int tlsPort = Ports.freePort();
        try {
          RedisProcess process =
              RedisProcess.launch(
                  List.of(
                      "--tls-port", String.valueOf(tlsPort),
                      "--tls-cert-file", certs.resolve(Certificates.SERVER_CERT).toString(),
                      "--tls-key-file", certs.resolve(Certificates.SERVER_KEY).toString(),
                      "--tls-ca-cert-file", certs.resolve(Certificates.CA_CERT).toString(),
                      "--tls-auth-clients", "no"));
          return new RedisTlsServer(process, tlsPort, certs);
        } catch (FixtureException e) {
          last = e;
        }
      }
      throw last;
    } catch (RuntimeException e) {
      Binaries.deleteQuietly(certs);
      throw e;
    }
  }

  /** {@code rediss://127.0.0.1:<tls port>}. */
  public String uri() {
    return "rediss://127.0.0.1:" + tlsPort;
  }

  /** {@code redis://127.0.0.1:<plain port>}: the same server without TLS. */
  public String plainUri() {
    return "redis://127.0.0.1:" + process.port();
  }

  /** The PEM certificate of the CA that signed the server's certificate. */
  public Path caCertificate() {
    return certificates.resolve(Certificates.CA_CERT);
  }

  /** The PEM certificate of a CA that did not sign the server's certificate. */
  public Path otherCaCertificate() {
    return certificates.resolve(Certificates.OTHER_CA_CERT);
  }

  /** Stops the server and deletes its certificates. */
  @Override
  public void close() {
    process.close();
    Binaries.deleteQuietly(certificates);
  }

  @Override
  public String toString() {
    return "embedded redis-server with TLS on 127.0.0.1:" + tlsPort;
  }
}
