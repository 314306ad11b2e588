package dev.agentexecutor.checkpoint.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.testkit.PostgresTestSchema;
import dev.agentexecutor.util.Ids;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a checkpoint stores can always be read back (issue 9.5): a value the state limits allow when
 * configured high (here one file line of 25 M characters, over Jackson's default 20 M cap for one
 * string) comes back unchanged, so /state answers and the job can resume.
 */
@Tag("integration")
class LargeStateReadBackTest {
  @RegisterExtension static final PostgresTestSchema PG = new PostgresTestSchema("large_state");

  @Test
  void aCheckpointWithAStringOverJacksonsDefaultCapIsReadBack() {
    PostgresCheckpointer checkpointer = new PostgresCheckpointer(PG.migrate().database());
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    String line = "x".repeat(25_000_000);
    AgentState state =
        AgentState.initial(
            List.of(Message.user("go")), Map.of("/big.txt", FileData.of(line, now)), Map.of());

    checkpointer.put(
        new Checkpoint(
            "big-thread", "", Ids.timeOrdered(), null, 1, now, Checkpoint.Next.MODEL, state));
    AgentState read = checkpointer.latest("big-thread", "").orElseThrow().state();

    assertThat(read.files().get("/big.txt").chars()).isEqualTo(25_000_000);
    assertThat(read.files().get("/big.txt").content().get(0).equals(line)).isTrue();
  }
}
