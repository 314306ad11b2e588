package dev.agentexecutor.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.util.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decisions and interrupts read and written in the wire's shapes. */
class DecisionJsonTest {
  @Test
  void decisionsReadTheWiresShapes() throws Exception {
    assertThat(read("{\"type\": \"approve\"}")).isEqualTo(new Decision.Approve());
    assertThat(read("{\"type\": \"reject\", \"message\": \"no\"}"))
        .isEqualTo(new Decision.Reject("no"));
    assertThat(read("{\"type\": \"edit\", \"args\": {\"a\": 1}}"))
        .isEqualTo(new Decision.Edit(Json.object().put("a", 1)));
  }

  @Test
  void decisionsWriteTheirType() throws Exception {
    for (Decision decision :
        List.of(
            new Decision.Approve(),
            new Decision.Reject("no"),
            new Decision.Edit(Json.object().put("a", 1)))) {
      JsonNode written = Json.tree(decision);
      assertThat(written.path("type").asText()).isEqualTo(decision.type());
      assertThat(Json.MAPPER.treeToValue(written, Decision.class)).isEqualTo(decision);
    }
  }

  @Test
  void anInterruptHasTheContractsFieldNames() {
    Interrupt interrupt =
        new Interrupt(
            Interrupt.idOf("task:c1", "c2"),
            "c2",
            "write_file",
            Json.object().put("file_path", "/a"),
            Decision.TYPES,
            "Tool execution requires approval",
            "researcher",
            "task:c1",
            Json.object().put("type", "object"));

    JsonNode json = Json.tree(interrupt);

    assertThat(json.path("id").asText()).isEqualTo("task:c1|c2");
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(
            "id",
            "tool_call_id",
            "tool",
            "args",
            "allowed_decisions",
            "description",
            "node",
            "namespace",
            "args_schema");
    assertThat(Json.read(json, Interrupt.class)).isEqualTo(interrupt);
  }

  private static Decision read(String json) throws Exception {
    return Json.MAPPER.readValue(json, Decision.class);
  }
}
