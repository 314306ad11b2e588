package dev.agentexecutor.store.postgres;

import dev.agentexecutor.checkpoint.postgres.PostgresCheckpointer;
import dev.agentexecutor.store.JobStoreContract;
import dev.agentexecutor.testkit.PostgresTestSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
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
}
