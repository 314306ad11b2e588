package dev.agentexecutor.agent;

import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.checkpoint.postgres.PostgresCheckpointer;
import dev.agentexecutor.testkit.PostgresTestSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Parallel tool calls and subagents on the PostgreSQL checkpointer (a real server): the calls of a
 * batch are recorded in {@code checkpoint_writes} as they finish.
 */
@Tag("integration")
class ParallelToolCallsPostgresTest extends ParallelToolCallsContract {
  @RegisterExtension static final PostgresTestSchema PG = new PostgresTestSchema("parallel");

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
