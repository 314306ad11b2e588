package dev.agentexecutor.postgres;

import static dev.agentexecutor.testkit.PostgresTestSchema.queryColumn;
import static dev.agentexecutor.testkit.PostgresTestSchema.queryValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.testkit.PostgresTestSchema;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class MigrationScriptTest {
  @RegisterExtension static final PostgresTestSchema PG = new PostgresTestSchema("script");

  private static final List<String> TABLES =
      List.of(
          "checkpoint_blobs",
          "checkpoint_migrations",
          "checkpoint_writes",
          "checkpoints",
          "jobs",
          "schema_migrations",
          "thread_runs");

  @Test
  void upOnAnEmptySchemaCreatesTheTablesAndRecordsEachVersion() throws SQLException {
    String schema = PG.newSchemaName("up");

    MigrationScript.Result result = MigrationScript.run(schema);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains(
            "applying 001_create_checkpointer_tables.up.sql", "applying 002_create_jobs.up.sql");
    assertThat(tables(schema)).containsExactlyElementsOf(TABLES);
    assertThat(versions(schema)).containsExactly("001", "002", "003", "004", "005", "006", "007");
    assertThat(queryColumn("SELECT v::text FROM " + schema + ".checkpoint_migrations ORDER BY v"))
        .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
  }

  @Test
  void aSecondRunChangesNothing() throws SQLException {
    String schema = PG.newSchemaName("again");
    MigrationScript.run(schema);
    List<String> appliedAt =
        queryColumn("SELECT applied_at::text FROM " + schema + ".schema_migrations ORDER BY 1");

    MigrationScript.Result again = MigrationScript.run(schema);

    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(again.output()).contains("is up to date").doesNotContain("applying");
    assertThat(
            queryColumn("SELECT applied_at::text FROM " + schema + ".schema_migrations ORDER BY 1"))
        .isEqualTo(appliedAt);
  }

  @Test
  void downRevertsTheNewestVersionsAndUpAppliesThemAgain() throws SQLException {
    String schema = PG.newSchemaName("down");
    MigrationScript.run(schema);

    PostgresTestSchema.execute(
        "INSERT INTO "
            + schema
            + ".jobs (job_id, status, thread_id, interrupts, parked_at)"
            + " VALUES ('parked-job', 'interrupted', 'parked-job', '[]', now())");
    PostgresTestSchema.execute(
        "INSERT INTO "
            + schema
            + ".thread_runs (job_id, thread_id, tenant, status)"
            + " VALUES ('cancelled-in-line', 'busy-thread', 'default', 'cancelled')");
    MigrationScript.Result downCancelled = MigrationScript.run(schema, "down");
    assertThat(downCancelled.exitCode()).as(downCancelled.output()).isZero();
    assertThat(versions(schema)).containsExactly("001", "002", "003", "004", "005", "006");
    assertThat(queryColumn("SELECT job_id FROM " + schema + ".thread_runs")).isEmpty();
    assertThatThrownBy(
            () ->
                PostgresTestSchema.execute(
                    "INSERT INTO "
                        + schema
                        + ".thread_runs (job_id, thread_id, tenant, status)"
                        + " VALUES ('again', 'busy-thread', 'default', 'cancelled')"))
        .hasMessageContaining("thread_runs_status_check");

    MigrationScript.Result downTurns = MigrationScript.run(schema, "down");
    assertThat(downTurns.exitCode()).as(downTurns.output()).isZero();
    assertThat(versions(schema)).containsExactly("001", "002", "003", "004", "005");
    assertThat(tables(schema)).doesNotContain("thread_runs");

    MigrationScript.Result downOutbox = MigrationScript.run(schema, "down");
    assertThat(downOutbox.exitCode()).as(downOutbox.output()).isZero();
    assertThat(versions(schema)).containsExactly("001", "002", "003", "004");
    assertThat(
            queryColumn(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = '"
                    + schema
                    + "' AND table_name = 'jobs'"))
        .contains("tenant")
        .doesNotContain("result_published_at");

    MigrationScript.Result downLifecycle = MigrationScript.run(schema, "down");
    assertThat(downLifecycle.exitCode()).as(downLifecycle.output()).isZero();
    assertThat(versions(schema)).containsExactly("001", "002", "003");
    assertThat(jobColumns(schema)).contains("tenant").doesNotContain("interrupts", "thread_id");
    assertThat(queryValue("SELECT status FROM " + schema + ".jobs WHERE job_id = 'parked-job'"))
        .isEqualTo("failed");

    MigrationScript.Result down = MigrationScript.run(schema, "down");
    assertThat(down.exitCode()).as(down.output()).isZero();
    assertThat(versions(schema)).containsExactly("001", "002");
    assertThat(jobColumns(schema)).contains("job_id").doesNotContain("tenant");

    MigrationScript.Result downJobs = MigrationScript.run(schema, "down");
    assertThat(downJobs.exitCode()).as(downJobs.output()).isZero();
    assertThat(versions(schema)).containsExactly("001");
    assertThat(tables(schema)).doesNotContain("jobs").contains("checkpoints");

    MigrationScript.Result downAll = MigrationScript.run(schema, "down", "5");
    assertThat(downAll.exitCode()).as(downAll.output()).isZero();
    assertThat(tables(schema)).containsExactly("schema_migrations");

    MigrationScript.Result up = MigrationScript.run(schema, "up");
    assertThat(up.exitCode()).as(up.output()).isZero();
    assertThat(tables(schema)).containsExactlyElementsOf(TABLES);
    assertThat(versions(schema)).containsExactly("001", "002", "003", "004", "005", "006", "007");
  }

  private static List<String> jobColumns(String schema) throws SQLException {
    return queryColumn(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = '"
            + schema
            + "' AND table_name = 'jobs'");
  }

  @Test
  void statusListsAppliedAndPendingVersions() {
    String schema = PG.newSchemaName("status");
    assertThat(MigrationScript.run(schema, "status").output()).contains("001", "pending");
    MigrationScript.run(schema);

    MigrationScript.Result status = MigrationScript.run(schema, "status");

    assertThat(status.exitCode()).isZero();
    assertThat(status.output())
        .contains("create_checkpointer_tables", "applied")
        .doesNotContain("pending");
  }

  @Test
  void concurrentRunsBothSucceedAndApplyEachMigrationOnce() throws SQLException {
    String schema = PG.newSchemaName("concurrent");
    Map<String, String> environment = PostgresTestSchema.scriptEnvironment(schema);
    MigrationScript.Running first = MigrationScript.start(environment);
    MigrationScript.Running second = MigrationScript.start(environment);

    MigrationScript.Result one = first.await();
    MigrationScript.Result two = second.await();

    assertThat(one.exitCode()).as(one.output()).isZero();
    assertThat(two.exitCode()).as(two.output()).isZero();
    assertThat(one.output() + two.output())
        .containsOnlyOnce("applying 001")
        .containsOnlyOnce("applying 002");
    assertThat(versions(schema)).containsExactly("001", "002", "003", "004", "005", "006", "007");
  }

  @Test
  void aDatabaseUrlWorksAndItsPasswordIsNeverPrinted() throws SQLException {
    String schema = PG.newSchemaName("url");
    String url =
        "postgresql://%s:%s@%s:%d/%s"
            .formatted(
                PostgresTestSchema.USER,
                "s3cr%21t",
                PostgresTestSchema.HOST,
                PostgresTestSchema.PORT,
                PostgresTestSchema.DATABASE);

    MigrationScript.Result result =
        MigrationScript.run(Map.of("DATABASE_URL", url, "POSTGRES_SCHEMA", schema));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).doesNotContain("s3cr");
    assertThat(versions(schema)).containsExactly("001", "002", "003", "004", "005", "006", "007");
  }

  @Test
  void anUnreachableServerExitsWithThree() throws IOException {
    Map<String, String> environment =
        PostgresTestSchema.scriptEnvironment(PG.newSchemaName("unreachable"));
    environment.put("POSTGRES_PORT", Integer.toString(portWithNothingListening()));

    MigrationScript.Result result = MigrationScript.run(environment);

    assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
  }

  @Test
  void aRefusedLoginExitsWithThree() {
    // The test server trusts every local login, so a wrong password cannot be refused; an unknown
    // role is.
    Map<String, String> environment =
        PostgresTestSchema.scriptEnvironment(PG.newSchemaName("login"));
    environment.put("POSTGRES_USER", "no_such_role_for_migrations");
    environment.put("POSTGRES_PASSWORD", "wrong-password");

    MigrationScript.Result result = MigrationScript.run(environment);

    assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
    assertThat(result.output()).doesNotContain("wrong-password");
  }

  @Test
  void badConfigurationOrUsageExitsWithTwo() {
    Map<String, String> missingDirectory =
        PostgresTestSchema.scriptEnvironment(PG.newSchemaName("usage"));
    missingDirectory.put("MIGRATION_DIR", "/nonexistent/migrations");
    Map<String, String> noHost = PostgresTestSchema.scriptEnvironment(PG.newSchemaName("usage"));
    noHost.remove("POSTGRES_HOST");
    Map<String, String> badSchema = PostgresTestSchema.scriptEnvironment("bad-schema; drop");

    assertThat(MigrationScript.run(missingDirectory).exitCode()).isEqualTo(2);
    assertThat(MigrationScript.run(noHost).exitCode()).isEqualTo(2);
    assertThat(MigrationScript.run(badSchema).exitCode()).isEqualTo(2);
    assertThat(MigrationScript.run(PG.newSchemaName("usage"), "sideways").exitCode()).isEqualTo(2);
    assertThat(MigrationScript.run(PG.newSchemaName("usage"), "down", "zero").exitCode())
        .isEqualTo(2);
  }

  @Test
  void aFailingMigrationExitsWithOneAndIsRolledBack(@TempDir Path directory)
      throws IOException, SQLException {
    Files.writeString(directory.resolve("001_good.up.sql"), "CREATE TABLE good (id int);");
    Files.writeString(
        directory.resolve("002_bad.up.sql"),
        "CREATE TABLE half (id int);\nSELECT no_such_column FROM good;");
    Map<String, String> environment =
        PostgresTestSchema.scriptEnvironment(PG.newSchemaName("failing"));
    environment.put("MIGRATION_DIR", directory.toString());
    String schema = environment.get("POSTGRES_SCHEMA");

    MigrationScript.Result result = MigrationScript.run(environment);

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(versions(schema)).containsExactly("001");
    assertThat(tables(schema)).containsExactly("good", "schema_migrations");
  }

  static List<String> tables(String schema) throws SQLException {
    return queryColumn("SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY 1", schema);
  }

  static List<String> versions(String schema) throws SQLException {
    Object exists = queryValue("SELECT to_regclass(?)::text", schema + ".schema_migrations");
    if (exists == null) return List.of();
    return queryColumn("SELECT version FROM " + schema + ".schema_migrations ORDER BY version");
  }

  static int portWithNothingListening() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
