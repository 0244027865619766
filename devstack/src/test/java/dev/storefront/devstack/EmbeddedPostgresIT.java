package dev.storefront.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresIT {

  @TempDir static Path workDir;

  private static Path dataDir;
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void start() throws Exception {
    // JUnit's temp dirs are private to root; PostgreSQL may run as an unprivileged user.
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    dataDir = workDir.resolve("pgdata");
    postgres = EmbeddedPostgres.start(dataDir, 0);
  }

  @AfterAll
  static void stop() {
    if (dataDir != null) {
      EmbeddedPostgres.stopAt(dataDir);
    }
  }

  @Test
  void servesQueriesAndKeepsDataAcrossARestart() throws Exception {
    int port = postgres.port();
    assertThat(postgres.isRunning()).isTrue();
    try (Connection connection = connect(postgres)) {
      var version = connection.createStatement().executeQuery("SHOW server_version_num");
      version.next();
      assertThat(version.getInt(1)).isGreaterThanOrEqualTo(150000);
      connection.createStatement().execute("CREATE TABLE kept (id int PRIMARY KEY)");
      connection.createStatement().execute("INSERT INTO kept VALUES (42)");
    }

    postgres.stop();
    assertThat(postgres.isRunning()).isFalse();
    assertThat(Ports.accepting("127.0.0.1", port)).isFalse();
    assertThatThrownBy(() -> connect(postgres)).isInstanceOf(SQLException.class);

    postgres = EmbeddedPostgres.start(dataDir, port);
    try (Connection connection = connect(postgres)) {
      var rows = connection.createStatement().executeQuery("SELECT id FROM kept");
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(1)).isEqualTo(42);
    }
  }

  @Test
  void startingAgainOnTheSameDirectoryAndPortReusesTheServer() {
    var again = EmbeddedPostgres.start(dataDir, postgres.port());
    assertThat(again.port()).isEqualTo(postgres.port());
    assertThat(again.isRunning()).isTrue();
  }

  @Test
  void refusesADirectoryThatIsNeitherEmptyNorAPostgresDataDirectory() throws Exception {
    Path junk = Files.createDirectories(workDir.resolve("junk"));
    Files.writeString(junk.resolve("notes.txt"), "not a database");
    assertThatThrownBy(() -> EmbeddedPostgres.start(junk, 0))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("neither empty nor a PostgreSQL data directory");
  }

  @Test
  void explainsADataDirectoryThePostgresUserCannotReach() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "only root switches users");
    Path privateDir = Files.createDirectories(workDir.resolve("private"));
    Files.setPosixFilePermissions(privateDir, PosixFilePermissions.fromString("rwx------"));
    assertThatThrownBy(() -> EmbeddedPostgres.start(privateDir.resolve("pgdata"), 0))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("cannot write")
        .hasMessageContaining("chmod o+x");
  }

  private static Connection connect(EmbeddedPostgres server) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl("postgres"), EmbeddedPostgres.SUPERUSER, "");
  }
}
