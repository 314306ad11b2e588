package dev.agentexecutor.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.CloudEvents;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.http.HttpResponse;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input of every kind gets a precise 4xx naming the field and the rule, and the service keeps
 * serving: each case is followed by a good job on the same server.
 */
class BadInputTest {
  private static final int LIMIT = 64 * 1024;
  private static ServiceHarness service;

  @BeforeAll
  static void start() {
    service = ServiceHarness.start(java.util.Map.of("MAX_PAYLOAD_BYTES", Integer.toString(LIMIT)));
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  /** One case: how to send it, and the status, problem code, path and message part expected. */
  record Case(String name, Request request, int status, String code, String path, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  @FunctionalInterface
  interface Request {
    HttpResponse<String> send(ServiceHarness service);
  }

  private static ObjectNode validJob() {
    return TestJobs.threeStepScripted(TestJobs.newJobId());
  }

  private static Request structured(Consumer<ObjectNode> mutateJob) {
    ObjectNode job = validJob();
    mutateJob.accept(job);
    return s ->
        s.post(
            "/",
            CloudEvents.structured(job).toString(),
            "Content-Type",
            "application/cloudevents+json");
  }

  private static Request definition(Consumer<ObjectNode> mutateDefinition) {
    return structured(job -> mutateDefinition.accept((ObjectNode) job.get("agent_definition")));
  }

  private static ObjectNode firstNodeConfig(ObjectNode definition) {
    return (ObjectNode) definition.get("nodes").get(0).get("config");
  }

  private static ObjectNode specialist(ObjectNode definition, String name) {
    ObjectNode node =
        ((com.fasterxml.jackson.databind.node.ArrayNode) definition.get("nodes"))
            .addObject()
            .put("id", name + "-node")
            .put("type", "specialist");
    node.putObject("config").put("name", name).put("system_prompt", "You help.");
    return node;
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "non-JSON structured body",
            s -> s.post("/", "{not json", "Content-Type", "application/cloudevents+json"),
            400,
            "BODY_NOT_JSON",
            "$",
            "not valid JSON"),
        new Case(
            "empty body",
            s -> s.post("/", "", "Content-Type", "application/cloudevents+json"),
            400,
            "BODY_EMPTY",
            "$",
            "empty"),
        new Case(
            "JSON without CloudEvent attributes or headers",
            s -> s.post("/", validJob().toString(), "Content-Type", "application/json"),
            400,
            "EVT_NOT_CLOUDEVENT",
            "$",
            "not a CloudEvent"),
        new Case(
            "structured event missing id",
            s -> {
              ObjectNode event = CloudEvents.structured(validJob());
              event.remove("id");
              return s.post("/", event.toString(), "Content-Type", "application/cloudevents+json");
            },
            400,
            "EVT_ATTRIBUTE",
            "$.id",
            "required CloudEvent attribute"),
        new Case(
            "unsupported specversion",
            s -> {
              ObjectNode event = CloudEvents.structured(validJob()).put("specversion", "0.3");
              return s.post("/", event.toString(), "Content-Type", "application/cloudevents+json");
            },
            400,
            "EVT_SPECVERSION",
            "$.specversion",
            "unsupported specversion"),
        new Case(
            "wrong event type",
            s -> {
              ObjectNode event =
                  CloudEvents.structured(validJob()).put("type", "dev.my-platform.agent.other");
              return s.post("/", event.toString(), "Content-Type", "application/cloudevents+json");
            },
            400,
            "EVT_TYPE",
            "$.type",
            "must be 'dev.my-platform.agent.execute'"),
        new Case(
            "text/plain content type",
            s -> s.post("/", "hello", "Content-Type", "text/plain"),
            415,
            "EVT_CONTENT_TYPE",
            "$",
            "is not JSON"),
        new Case(
            "binary mode with XML data",
            s ->
                s.post(
                    "/",
                    "<job/>",
                    replaceContentType(CloudEvents.binaryHeaders(), "application/xml")),
            415,
            "EVT_CONTENT_TYPE",
            "$",
            "must be application/json"),
        new Case(
            "payload over the size limit",
            s -> s.postBytes("/", big(LIMIT + 1), "Content-Type", "application/cloudevents+json"),
            413,
            "BODY_TOO_LARGE",
            "$",
            "MAX_PAYLOAD_BYTES"),
        new Case(
            "job is an array",
            s -> s.post("/", "[1,2]", CloudEvents.binaryHeaders()),
            400,
            "JOB_NOT_OBJECT",
            "$",
            "must be a JSON object"),
        new Case(
            "missing job_id",
            structured(job -> job.remove("job_id")),
            400,
            "JOB_FIELD_MISSING",
            "$.job_id",
            "is required"),
        new Case(
            "blank job_id",
            structured(job -> job.put("job_id", "   ")),
            400,
            "JOB_FIELD_BLANK",
            "$.job_id",
            "must not be blank"),
        new Case(
            "numeric job_id",
            structured(job -> job.put("job_id", 42)),
            400,
            "JOB_FIELD_TYPE",
            "$.job_id",
            "must be a string, not a number"),
        new Case(
            "job_id too long",
            structured(job -> job.put("job_id", "x".repeat(300))),
            400,
            "JOB_FIELD_TOO_LONG",
            "$.job_id",
            "at most 256"),
        new Case(
            "missing trace_id",
            structured(job -> job.remove("trace_id")),
            400,
            "JOB_FIELD_MISSING",
            "$.trace_id",
            "is required"),
        new Case(
            "agent_definition is a string",
            structured(job -> job.put("agent_definition", "agent")),
            400,
            "JOB_FIELD_TYPE",
            "$.agent_definition",
            "must be an object, not a string"),
        new Case(
            "input_payload missing",
            structured(job -> job.remove("input_payload")),
            400,
            "JOB_FIELD_MISSING",
            "$.input_payload",
            "is required"),
        new Case(
            "input_payload gives nothing to do",
            structured(job -> job.set("input_payload", Json.object())),
            400,
            "INPUT_EMPTY",
            "$.input_payload",
            "nothing to do"),
        new Case(
            "message with unknown role",
            structured(
                job ->
                    ((ObjectNode) job.get("input_payload"))
                        .putArray("messages")
                        .addObject()
                        .put("role", "robot")
                        .put("content", "hi")),
            400,
            "INPUT_MESSAGE_ROLE",
            "$.input_payload.messages[0].role",
            "unknown role 'robot'"),
        new Case(
            "unknown node type",
            definition(d -> ((ObjectNode) d.get("nodes").get(0)).put("type", "wizard")),
            400,
            "DEF_NODE_TYPE",
            "$.agent_definition.nodes[0].type",
            "unknown node type 'wizard'"),
        new Case(
            "node without config",
            definition(d -> ((ObjectNode) d.get("nodes").get(0)).remove("config")),
            400,
            "DEF_NODE_CONFIG",
            "$.agent_definition.nodes[0].config",
            "is required"),
        new Case(
            "node without system prompt",
            definition(d -> firstNodeConfig(d).remove("system_prompt")),
            400,
            "DEF_FIELD_MISSING",
            "$.agent_definition.nodes[0].config.system_prompt",
            "is required"),
        new Case(
            "tool name that does not exist",
            definition(d -> firstNodeConfig(d).putArray("tools").add("web_search")),
            400,
            "DEF_TOOL_UNKNOWN",
            "$.agent_definition.nodes[0].config.tools[0]",
            "unknown tool 'web_search'"),
        new Case(
            "Python script tool",
            definition(
                d ->
                    d.putArray("tool_definitions")
                        .addObject()
                        .put("name", "calc")
                        .putObject("runtime")
                        .put("script", "print(1)")),
            400,
            "DEF_TOOL_SCRIPT",
            "$.agent_definition.tool_definitions[0].runtime.script",
            "tool 'calc' is a Python script tool"),
        new Case(
            "HTTP tool with a non-http URL",
            definition(
                d ->
                    d.putArray("tool_definitions")
                        .addObject()
                        .put("name", "lookup")
                        .putObject("runtime")
                        .putObject("http")
                        .put("url", "file:///etc/passwd")),
            400,
            "DEF_TOOL_URL",
            "$.agent_definition.tool_definitions[0].runtime.http.url",
            "must be an absolute http(s) URL"),
        new Case(
            "duplicate subagent names",
            definition(
                d -> {
                  specialist(d, "helper");
                  specialist(d, "helper");
                }),
            400,
            "DEF_SUBAGENT_DUPLICATE",
            "$.agent_definition.nodes[2].config.name",
            "duplicate subagent name 'helper'"),
        new Case(
            "subagent named general-purpose",
            definition(d -> specialist(d, "general-purpose")),
            400,
            "DEF_SUBAGENT_RESERVED",
            "$.agent_definition.nodes[1].config.name",
            "built-in subagent"),
        new Case(
            "two orchestrators",
            definition(d -> specialist(d, "second").put("type", "orchestrator")),
            400,
            "DEF_ORCHESTRATOR_DUPLICATE",
            "$.agent_definition.nodes[1].type",
            "only one node may be the orchestrator"),
        new Case(
            "temperature out of range",
            definition(d -> ((ObjectNode) firstNodeConfig(d).get("model")).put("temperature", 7)),
            400,
            "DEF_MODEL_TEMPERATURE",
            "$.agent_definition.nodes[0].config.model.temperature",
            "from 0 to 2"),
        new Case(
            "unknown model provider",
            definition(
                d -> ((ObjectNode) firstNodeConfig(d).get("model")).put("provider", "oracle")),
            400,
            "DEF_MODEL_PROVIDER",
            "$.agent_definition.nodes[0].config.model.provider",
            "unknown provider 'oracle'"),
        new Case(
            "nodes is an object",
            definition(d -> d.putObject("nodes")),
            400,
            "DEF_NOT_ARRAY",
            "$.agent_definition.nodes",
            "must be an array"),
        new Case(
            "edge to an unknown node",
            definition(
                d -> d.putArray("edges").addObject().put("source", "main").put("target", "ghost")),
            400,
            "DEF_EDGE_UNKNOWN_NODE",
            "$.agent_definition.edges[0].target",
            "no node has id 'ghost'"),
        new Case(
            "invoke with non-JSON body",
            s -> s.post("/invoke", "job please", "Content-Type", "application/json"),
            400,
            "BODY_NOT_JSON",
            "$",
            "not valid JSON"),
        new Case(
            "invoke with missing agent_definition",
            s -> {
              ObjectNode job = validJob();
              job.remove("agent_definition");
              return s.post(
                  "/deepagents-runtime/invoke", job.toString(), "Content-Type", "application/json");
            },
            400,
            "JOB_FIELD_MISSING",
            "$.agent_definition",
            "is required"),
        new Case(
            "invoke over the size limit",
            s -> s.postBytes("/invoke", big(LIMIT * 2), "Content-Type", "application/json"),
            413,
            "BODY_TOO_LARGE",
            "$",
            "the limit is " + LIMIT));
  }

  private static String[] replaceContentType(String[] headers, String contentType) {
    String[] copy = headers.clone();
    for (int i = 0; i < copy.length; i += 2)
      if (copy[i].equalsIgnoreCase("Content-Type")) copy[i + 1] = contentType;
    return copy;
  }

  private static byte[] big(int size) {
    byte[] body = new byte[size];
    java.util.Arrays.fill(body, (byte) ' ');
    body[0] = '{';
    body[size - 1] = '}';
    return body;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputGetsAPreciseErrorAndTheServiceKeepsServing(Case c) {
    HttpResponse<String> response = c.request().send(service);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(c.status());
    JsonNode body = Json.parse(response.body());
    assertThat(body.path("problems"))
        .as(response.body())
        .anySatisfy(
            p -> {
              assertThat(p.path("code").asText()).isEqualTo(c.code());
              assertThat(p.path("path").asText()).isEqualTo(c.path());
              assertThat(p.path("message").asText()).contains(c.message());
            });
    assertThat(body.path("message").asText()).contains(c.message());

    HttpResponse<String> good = service.postCloudEvent(validJob());
    assertThat(good.statusCode()).isEqualTo(200);
    assertThat(Json.parse(good.body()).path("type").asText())
        .isEqualTo("dev.my-platform.agent.completed");
  }

  @Test
  void everyProblemOfADefinitionIsReportedAtOnce() {
    ObjectNode job = validJob();
    ObjectNode definition = (ObjectNode) job.get("agent_definition");
    ((ObjectNode) definition.get("nodes").get(0)).put("type", "wizard");
    firstNodeConfig(definition).putArray("tools").add("nope");
    job.put("trace_id", "");

    HttpResponse<String> response = service.postCloudEvent(job);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = Json.parse(response.body());
    assertThat(body.path("problems"))
        .extracting(p -> p.path("code").asText())
        .containsExactlyInAnyOrder("JOB_FIELD_BLANK", "DEF_NODE_TYPE", "DEF_TOOL_UNKNOWN");
    assertThat(body.path("job_id").asText()).isEqualTo(job.get("job_id").asText());
  }
}
