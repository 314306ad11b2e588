package dev.agentexecutor.postgres;

import static dev.agentexecutor.testkit.PostgresTestSchema.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.checkpoint.SampleRun;
import dev.agentexecutor.checkpoint.postgres.PostgresCheckpointer;
import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.store.postgres.PostgresJobStore;
import dev.agentexecutor.testkit.PostgresTestSchema;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL outages without touching the shared server: a pool aimed at a port where nothing
 * listens, and a test-only login role that is locked out (NOLOGIN) and its sessions terminated.
 */
@Tag("integration")
class PostgresOutageTest {
  @RegisterExtension static final PostgresTestSchema PG = new PostgresTestSchema("outage");

  /** An outage must surface well before the caller's own timeouts (ack wait, HTTP). */
  private static final Duration FAST = Duration.ofSeconds(4);

  private static final String ROLE = "ae_outage_" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void createRole() throws Exception {
    PG.migrate();
    execute("CREATE ROLE " + ROLE + " LOGIN");
    execute("GRANT USAGE ON SCHEMA " + PG.schema() + " TO " + ROLE);
    execute("GRANT ALL ON ALL TABLES IN SCHEMA " + PG.schema() + " TO " + ROLE);
  }

  @AfterAll
  static void dropRole() throws Exception {
    execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + ROLE + "'");
    execute("DROP OWNED BY " + ROLE);
    execute("DROP ROLE " + ROLE);
  }

  @Test
  void anUnreachableServerFailsFastAsBackendUnavailable() throws Exception {
    int port = MigrationScriptTest.portWithNothingListening();
    PostgresDatabase database =
        PG.closeAfterAll(
            PostgresDatabase.connect(
                PostgresTestSchema.settings(PG.schema(), PostgresTestSchema.USER, port)));
    PostgresCheckpointer checkpointer = new PostgresCheckpointer(database);

    long started = System.nanoTime();
    assertThat(database.ping()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1_500));

    started = System.nanoTime();
    assertThatThrownBy(() -> new SampleRun(checkpointer, "job-" + UUID.randomUUID(), "").start())
        .isInstanceOf(BackendUnavailableException.class)
        .satisfies(
            e -> assertThat(((BackendUnavailableException) e).backend()).isEqualTo("postgresql"));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
    assertThatThrownBy(() -> new PostgresJobStore(database).find("job-1"))
        .isInstanceOf(BackendUnavailableException.class);
  }

  @Test
  void theSameDatabaseWorksAgainWhenTheServerIsBack() throws Exception {
    PostgresDatabase database =
        PG.closeAfterAll(
            PostgresDatabase.connect(
                PostgresTestSchema.settings(PG.schema(), ROLE, PostgresTestSchema.PORT)));
    PostgresCheckpointer checkpointer = new PostgresCheckpointer(database);
    SampleRun run = SampleRun.started(checkpointer, "job-" + UUID.randomUUID());
    assertThat(database.ping()).isTrue();

    execute("ALTER ROLE " + ROLE + " NOLOGIN");
    execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + ROLE + "'");

    assertThat(database.ping()).isFalse();
    long started = System.nanoTime();
    assertThatThrownBy(run::step).isInstanceOf(BackendUnavailableException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);

    execute("ALTER ROLE " + ROLE + " LOGIN");

    awaitPing(database, Duration.ofSeconds(10));
    var resumed = run.step();
    assertThat(checkpointer.latest(resumed.threadId(), "")).contains(resumed);
  }

  private static void awaitPing(PostgresDatabase database, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!database.ping()) {
      assertThat(System.nanoTime()).as("ping true again within " + limit).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
