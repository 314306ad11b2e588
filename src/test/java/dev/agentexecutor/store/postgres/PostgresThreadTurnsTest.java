package dev.agentexecutor.store.postgres;

import dev.agentexecutor.store.ThreadTurns;
import dev.agentexecutor.store.ThreadTurnsContract;
import dev.agentexecutor.testkit.PostgresTestSchema;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("integration")
class PostgresThreadTurnsTest extends ThreadTurnsContract {
  @RegisterExtension static final PostgresTestSchema PG = new PostgresTestSchema("turns");

  private static ThreadTurns turns;

  @BeforeAll
  static void connect() {
    turns = new PostgresThreadTurns(PG.migrate().database());
  }

  @Override
  protected ThreadTurns turns() {
    return turns;
  }

  /** The database's clock cannot be moved: the rows are made older instead. */
  @Override
  protected void elapse(Duration by) throws Exception {
    PostgresTestSchema.execute(
        "UPDATE "
            + PG.schema()
            + ".thread_runs SET updated_at = updated_at - make_interval(secs => "
            + by.toSeconds()
            + "), created_at = created_at - make_interval(secs => "
            + by.toSeconds()
            + ")");
  }
}
