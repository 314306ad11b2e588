package dev.agentexecutor.agent;

import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.checkpoint.postgres.PostgresCheckpointer;
import dev.agentexecutor.testkit.PostgresTestSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Human approval in the loop on the PostgreSQL checkpointer (a real server): interrupts, decisions
 * and finished calls are pending writes in {@code checkpoint_writes}.
 */
@Tag("integration")
class InterruptPostgresTest extends InterruptContract {
  @RegisterExtension static final PostgresTestSchema PG = new PostgresTestSchema("interrupts");

  private static PostgresCheckpointer checkpoints;

  @BeforeAll
  static void connect() {
    checkpoints = new PostgresCheckpointer(PG.migrate().database());
  }

  @Override
  protected Checkpointer checkpointer() {
    return checkpoints;
  }
}
