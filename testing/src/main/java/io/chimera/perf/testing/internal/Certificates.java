package io.chimera.perf.testing.internal;

import io.chimera.perf.testing.FixtureException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Throw-away TLS material made with the {@code openssl} command: a test CA, a server certificate it
 * signed for the names given, and a second CA that signed nothing here (for "untrusted server"
 * tests). EC P-256 keys, valid for two days. Needs {@code openssl} on the {@code PATH} (Debian
 * package {@code openssl}).
 */
public final class Certificates {

  /** The CA that signed {@link #SERVER_CERT}. */
  public static final String CA_CERT = "ca.crt";

  /** A CA that signed nothing in this directory. */
  public static final String OTHER_CA_CERT = "other-ca.crt";

  public static final String SERVER_CERT = "server.crt";
  public static final String SERVER_KEY = "server.key";

  private static final List<String> NEW_EC_KEY =
      List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes");

  private Certificates() {}

  /**
   * Writes a CA, a second CA and a server certificate signed by the first into {@code dir}.
   *
   * @param subjectAltNames the server certificate's names, as openssl takes them (e.g. {@code
   *     IP:127.0.0.1,DNS:localhost})
   * @return {@code dir}
   * @throws FixtureException if {@code openssl} is missing or fails
   */
  public static Path generate(Path dir, String subjectAltNames) {
    Path ext = dir.resolve("server.ext");
    try {
      Files.createDirectories(dir);
      Files.writeString(ext, "subjectAltName=" + subjectAltNames + "\n", StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new FixtureException("cannot write TLS material into " + dir, e);
    }
    selfSignedCa(dir, "ca", "chimera-test-ca");
    selfSignedCa(dir, "other-ca", "chimera-other-ca");
    Path csr = dir.resolve("server.csr");
    openssl(
        dir,
        List.of("req"),
        NEW_EC_KEY,
        List.of("-keyout", dir.resolve(SERVER_KEY).toString(), "-out", csr.toString()),
        List.of("-subj", "/CN=localhost"));
    openssl(
        dir,
        List.of("x509", "-req", "-in", csr.toString(), "-days", "2"),
        List.of("-CA", dir.resolve(CA_CERT).toString(), "-CAkey", dir.resolve("ca.key").toString()),
        List.of("-CAcreateserial", "-extfile", ext.toString()),
        List.of("-out", dir.resolve(SERVER_CERT).toString()));
    return dir;
  }

  private static void selfSignedCa(Path dir, String name, String commonName) {
    openssl(
        dir,
        List.of("req", "-x509", "-days", "2"),
        NEW_EC_KEY,
        List.of(
            "-keyout",
            dir.resolve(name + ".key").toString(),
            "-out",
            dir.resolve(name + ".crt").toString()),
        List.of("-subj", "/CN=" + commonName));
  }

  @SafeVarargs
  private static void openssl(Path dir, List<String>... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    for (List<String> a : args) {
      command.addAll(a);
    }
    ManagedProcess.run(
        "openssl " + args[0].get(0), command, dir.resolve("openssl.log"), Duration.ofSeconds(30));
  }
}
