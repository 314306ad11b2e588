package dev.agentexecutor.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripted models through the HTTP API: a script file never reads a server file (issue 9.4), and a
 * malformed inline script is a 400 at submission, not a failure at run time (issue 9.14).
 */
class ScriptedInputEndToEndTest {
  private static ObjectNode jobWithScript(String jobId, JsonNode script) {
    ObjectNode job =
        TestJobs.job(jobId, TestJobs.orchestrator("scripted", "scripted", null), "Go.");
    ((ObjectNode) job.at("/agent_definition/nodes/0/config/model")).set("script", script);
    return job;
  }

  private static List<String> codes(HttpResponse<String> response) {
    return Json.parse(response.body()).path("problems").findValuesAsText("code");
  }

  @Test
  void aScriptFileOutsideTheScriptDirectoryIsRefusedAtSubmissionAndNothingIsRead() {
    try (ServiceHarness service = ServiceHarness.start()) {
      for (String file :
          List.of("/etc/passwd", "../../../../etc/passwd", "/proc/self/environ", "/dev/zero")) {
        HttpResponse<String> response =
            service.postCloudEvent(
                jobWithScript(TestJobs.newJobId(), Json.object().put("file", file)));

        assertThat(response.statusCode()).as(file).isEqualTo(400);
        assertThat(response.body()).as(file).doesNotContain("root:").doesNotContain("PATH=");
        JsonNode problem = Json.parse(response.body()).path("problems").get(0);
        assertThat(problem.path("code").asText()).isEqualTo("DEF_SCRIPT_FILE");
        assertThat(problem.path("path").asText())
            .isEqualTo("$.agent_definition.nodes[0].config.model.script.file");
      }
    }
  }

  @Test
  void withoutAScriptDirectoryARelativeScriptFileFailsTheJobSayingSo() {
    try (ServiceHarness service = ServiceHarness.start()) {
      HttpResponse<String> response =
          service.postCloudEvent(
              jobWithScript(TestJobs.newJobId(), Json.object().put("file", "pom.xml")));

      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode error = Json.parse(response.body()).path("data").path("error");
      assertThat(error.path("message").asText())
          .contains("SCRIPTED_SCRIPT_DIR is unset")
          .doesNotContain("<project");
    }
  }

  @Test
  void aScriptFileInTheScriptDirectoryIsReplayed(@TempDir Path scripts) throws Exception {
    Files.writeString(
        scripts.resolve("answer.json"), "[{\"content\": \"from the script directory\"}]");
    try (ServiceHarness service =
        ServiceHarness.start(Map.of("SCRIPTED_SCRIPT_DIR", scripts.toString()))) {
      HttpResponse<String> response =
          service.postCloudEvent(
              jobWithScript(TestJobs.newJobId(), Json.object().put("file", "answer.json")));

      assertThat(Json.parse(response.body()).path("data").path("result").path("output").asText())
          .isEqualTo("from the script directory");
    }
  }

  @Test
  void aMalformedInlineScriptIsA400NamingEveryProblem() {
    JsonNode script =
        Json.parse(
            """
        [{"content": "ok"},
         {"delay_ms": 5},
         {"content": 42},
         {"tool_calls": [{"args": {}}, {"name": "ls", "args": "x"}]},
         {"content": "late", "delay_ms": 3600000},
         {"content": "usage", "usage": {"input_tokens": -1}},
         "not a response"]
        """);
    try (ServiceHarness service = ServiceHarness.start()) {
      HttpResponse<String> invoke =
          service.post("/invoke", jobWithScript(TestJobs.newJobId(), script).toString());
      HttpResponse<String> cloudEvent =
          service.postCloudEvent(jobWithScript(TestJobs.newJobId(), script));

      assertThat(invoke.statusCode()).isEqualTo(400);
      assertThat(cloudEvent.statusCode()).isEqualTo(400);
      assertThat(codes(invoke))
          .containsExactly(
              "DEF_SCRIPT_RESPONSE",
              "DEF_SCRIPT_RESPONSE",
              "DEF_SCRIPT_TOOL_CALLS",
              "DEF_SCRIPT_TOOL_CALLS",
              "DEF_SCRIPT_DELAY",
              "DEF_SCRIPT_USAGE",
              "DEF_SCRIPT_RESPONSE");
      String at = "$.agent_definition.nodes[0].config.model.script";
      assertThat(Json.parse(invoke.body()).path("problems").findValuesAsText("path"))
          .containsExactly(
              at + "[1]",
              at + "[2].content",
              at + "[3].tool_calls[0].name",
              at + "[3].tool_calls[1].args",
              at + "[4].delay_ms",
              at + "[5].usage.input_tokens",
              at + "[6]");
    }
  }
}
