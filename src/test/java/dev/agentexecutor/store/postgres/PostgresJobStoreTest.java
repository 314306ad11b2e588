package dev.agentexecutor.store.postgres;

import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.checkpoint.postgres.PostgresCheckpointer;
import dev.agentexecutor.store.JobStore;
import dev.agentexecutor.store.JobStoreContract;
import dev.agentexecutor.testkit.PostgresTestSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("integration")
class PostgresJobStoreTest extends JobStoreContract {
  @RegisterExtension static final PostgresTestSchema PG = new PostgresTestSchema("jobs");

  private static PostgresJobStore jobStore;
  private static PostgresCheckpointer checkpointer;

  @BeforeAll
  static void connect() {
    PostgresDatabase database = PG.migrate().database();
    jobStore = new PostgresJobStore(database);
    checkpointer = new PostgresCheckpointer(database);
  }

  @Override
  protected JobStore jobStore() {
    return jobStore;
  }

  @Override
  protected Checkpointer checkpointer() {
    return checkpointer;
  }
}
