package dev.agentexecutor.postgres;

import static dev.agentexecutor.postgres.MigrationScriptTest.tables;
import static dev.agentexecutor.postgres.MigrationScriptTest.versions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.testkit.PostgresTestSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class PostgresMigratorTest {
  @RegisterExtension static final PostgresTestSchema PG = new PostgresTestSchema("migrator");

  private static PostgresDatabase database;

  @BeforeAll
  static void connect() {
    database = PG.database();
  }

  private static PostgresMigrator migrator(String schema) {
    return new PostgresMigrator(database.dataSource(), schema, Migrations.fromClasspath());
  }

  @Test
  void thePackagedMigrationsAreTheRepositorysFiles() {
    assertThat(Migrations.fromClasspath())
        .isEqualTo(Migrations.fromDirectory(MigrationScript.MIGRATIONS));
    assertThat(Migrations.fromClasspath().all())
        .extracting(Migration::fileName)
        .containsExactly(
            "001_create_checkpointer_tables.up.sql",
            "002_create_jobs.up.sql",
            "003_add_job_tenant.up.sql",
            "004_job_lifecycle.up.sql",
            "005_result_outbox.up.sql",
            "006_create_thread_runs.up.sql",
            "007_thread_runs_cancelled.up.sql");
  }

  @Test
  void afterTheScriptTheMigratorHasNothingToDo() throws SQLException {
    String schema = PG.newSchemaName("script_first");
    assertThat(MigrationScript.run(schema).exitCode()).isZero();

    assertThat(migrator(schema).up()).isEmpty();
    assertThat(migrator(schema).status())
        .allSatisfy(
            status -> {
              assertThat(status.applied()).isTrue();
              assertThat(status.changed()).isFalse();
            });
    assertThat(versions(schema)).containsExactly("001", "002", "003", "004", "005", "006", "007");
  }

  @Test
  void afterTheMigratorTheScriptHasNothingToDo() throws SQLException {
    String schema = PG.newSchemaName("java_first");

    assertThat(migrator(schema).up()).hasSize(7);
    MigrationScript.Result script = MigrationScript.run(schema);

    assertThat(script.exitCode()).as(script.output()).isZero();
    assertThat(script.output()).contains("is up to date");
    assertThat(tables(schema)).contains("checkpoints", "jobs");
  }

  @Test
  void downRevertsWhatEitherApplied() throws SQLException {
    String schema = PG.newSchemaName("down");
    MigrationScript.run(schema);

    assertThat(migrator(schema).down(1)).extracting(Migration::version).containsExactly("007");
    assertThat(MigrationScript.run(schema, "status").output()).contains("pending");
    assertThat(MigrationScript.run(schema, "up").output())
        .contains("applying 007_thread_runs_cancelled.up.sql");
    assertThat(migrator(schema).down(9))
        .extracting(Migration::version)
        .containsExactly("007", "006", "005", "004", "003", "002", "001");
    assertThat(tables(schema)).containsExactly("schema_migrations");
  }

  @Test
  void concurrentMigratorsApplyEachMigrationOnce() throws SQLException {
    String schema = PG.newSchemaName("concurrent");
    CompletableFuture<List<Migration>> first =
        CompletableFuture.supplyAsync(() -> migrator(schema).up());
    CompletableFuture<List<Migration>> second =
        CompletableFuture.supplyAsync(() -> migrator(schema).up());

    assertThat(first.join().size() + second.join().size()).isEqualTo(7);
    assertThat(versions(schema)).containsExactly("001", "002", "003", "004", "005", "006", "007");
  }

  @Test
  void aFailingMigrationIsRolledBackAndReported(@TempDir Path directory)
      throws IOException, SQLException {
    Files.writeString(directory.resolve("001_good.up.sql"), "CREATE TABLE good (id int);");
    Files.writeString(
        directory.resolve("002_bad.up.sql"), "CREATE TABLE half (id int);\nSELECT nope FROM good;");
    String schema = PG.newSchemaName("failing");
    PostgresMigrator migrator =
        new PostgresMigrator(database.dataSource(), schema, Migrations.fromDirectory(directory));

    assertThatThrownBy(migrator::up)
        .isInstanceOf(MigrationException.class)
        .hasMessageContaining("nope");
    assertThat(versions(schema)).containsExactly("001");
    assertThat(tables(schema)).containsExactly("good", "schema_migrations");
  }

  @Test
  void badlyNamedFilesAreRejected(@TempDir Path directory) throws IOException {
    Files.writeString(directory.resolve("first.up.sql"), "SELECT 1;");

    assertThatThrownBy(() -> Migrations.fromDirectory(directory))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NNN_name.up.sql");
    assertThatThrownBy(() -> Migrations.fromDirectory(directory.resolve("missing")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
