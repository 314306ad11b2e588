package dev.agentexecutor.store.postgres;

import dev.agentexecutor.checkpoint.postgres.PostgresCheckpointer;
import dev.agentexecutor.postgres.PostgresDatabase;
import dev.agentexecutor.store.JobStoreContract;
import dev.agentexecutor.testkit.PostgresTestSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("integration")
class PostgresJobStoreTest extends JobStoreContract {
  @RegisterExtension static final PostgresTestSchema PG = new PostgresTestSchema("jobs");

  private static Stores stores;

  @BeforeAll
  static void connect() {
    PostgresDatabase database = PG.migrate().database();
    stores = new Stores(new PostgresJobStore(database), new PostgresCheckpointer(database));
  }

  @Override
  protected Stores stores() {
    return stores;
  }

  /** A model answer with NUL once left a finished job unsaved and its /state "running" for ever. */
  @Test
  void aResultHoldingNulCharactersIsSavedWithThemReplaced() {
    java.time.Instant now =
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    var record =
        new dev.agentexecutor.store.JobRecord(
            "job-nul-" + java.util.UUID.randomUUID(),
            "t",
            dev.agentexecutor.store.JobStatus.FAILED,
            now,
            now,
            dev.agentexecutor.util.Json.object()
                .put("output", "a\u0000b")
                .put("literal", "\\u0000 stays"),
            "boom \u0000");

    stores.jobs().save(record);

    var found = stores.jobs().find(record.jobId()).orElseThrow();
    org.assertj.core.api.Assertions.assertThat(found.resultEvent().path("output").asText())
        .isEqualTo("a\uFFFDb");
    org.assertj.core.api.Assertions.assertThat(found.resultEvent().path("literal").asText())
        .isEqualTo("\\u0000 stays");
    org.assertj.core.api.Assertions.assertThat(found.error()).isEqualTo("boom \uFFFD");
  }
}
