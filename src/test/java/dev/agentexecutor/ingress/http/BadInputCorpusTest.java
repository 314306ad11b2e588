package dev.agentexecutor.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.CloudEvents;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input corpus: every route, every layer of a job (transport, JSON, CloudEvent, job
 * fields, ids, input, definition, scripted model, tool arguments, WebSocket frames, API tokens).
 * Each case asserts the status, the error or problem code and a JSON body; after every case a good
 * job still runs on the same server.
 */
class BadInputCorpusTest {
  private static final int LIMIT = 64 * 1024;
  private static final String TOKEN = "corpus-token-0123456789abcdef";
  private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};
  private static final String CE_JSON = "application/cloudevents+json";
  private static ServiceHarness service;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    service =
        ServiceHarness.start(
            Map.of(
                "MAX_PAYLOAD_BYTES",
                Integer.toString(LIMIT),
                "API_TOKENS",
                TOKEN + "=acme",
                "MAX_FILE_CHARS",
                "20000",
                "MAX_MESSAGE_CHARS",
                "20000"));
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  /** What came back: the status and the body (a WebSocket case fills in its close code). */
  record Answer(int status, String body) {}

  /** One hostile input and what it must get. {@code code} is the error or a problem code. */
  record Case(String name, Send send, int status, String code) {
    @Override
    public String toString() {
      return name;
    }
  }

  @FunctionalInterface
  interface Send {
    Answer send() throws Exception;
  }

  // ---- requests ----

  private static Answer request(String method, String path, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) builder.headers(headers);
    HttpResponse<String> response =
        http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }

  private static String[] withAuth(String... headers) {
    String[] all = new String[headers.length + 2];
    System.arraycopy(AUTH, 0, all, 0, 2);
    System.arraycopy(headers, 0, all, 2, headers.length);
    return all;
  }

  private static Send post(String path, String body, String... headers) {
    return () -> request("POST", path, body.getBytes(StandardCharsets.UTF_8), withAuth(headers));
  }

  private static Send postBytes(String path, byte[] body, String... headers) {
    return () -> request("POST", path, body, withAuth(headers));
  }

  private static Send get(String path, String... headers) {
    return () -> request("GET", path, null, withAuth(headers));
  }

  private static Send method(String method, String path) {
    return () -> request(method, path, null, AUTH);
  }

  /** POST / in structured mode with the job after {@code change}. */
  private static Send structured(Consumer<ObjectNode> change) {
    ObjectNode job = TestJobs.threeStepScripted(TestJobs.newJobId());
    change.accept(job);
    return post("/", CloudEvents.structured(job).toString(), "Content-Type", CE_JSON);
  }

  /** POST /invoke with the job after {@code change}. */
  private static Send invoke(Consumer<ObjectNode> change) {
    ObjectNode job = TestJobs.threeStepScripted(TestJobs.newJobId());
    change.accept(job);
    return post("/invoke", job.toString(), "Content-Type", "application/json");
  }

  private static Send definition(Consumer<ObjectNode> change) {
    return structured(job -> change.accept((ObjectNode) job.get("agent_definition")));
  }

  private static Send input(Consumer<ObjectNode> change) {
    return structured(job -> change.accept((ObjectNode) job.get("input_payload")));
  }

  private static ObjectNode config(ObjectNode definition) {
    return (ObjectNode) definition.get("nodes").get(0).get("config");
  }

  private static ObjectNode model(ObjectNode definition) {
    return (ObjectNode) config(definition).get("model");
  }

  private static ObjectNode toolDefinition(ObjectNode definition) {
    ObjectNode tool =
        definition
            .putArray("tool_definitions")
            .addObject()
            .put("name", "lookup")
            .put("description", "d");
    tool.putObject("parameters").put("type", "object");
    tool.putObject("runtime").putObject("http").put("url", "https://example.com/x");
    return tool;
  }

  private static ObjectNode specialist(ObjectNode definition, String name) {
    ObjectNode node =
        ((ArrayNode) definition.get("nodes"))
            .addObject()
            .put("id", name + "-node")
            .put("type", "specialist");
    node.putObject("config").put("name", name).put("system_prompt", "You help.");
    return node;
  }

  private static String deep(String open, String close, int depth) {
    return open.repeat(depth) + "1" + close.repeat(depth);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  // ---- the corpus ----

  static Stream<Case> cases() {
    List<Case> all = new ArrayList<>();
    malformedBodies(all);
    cloudEvents(all);
    jobFields(all);
    ids(all);
    inputs(all);
    definitions(all);
    scripts(all);
    routesAndMethods(all);
    tokens(all);
    return all.stream();
  }

  /** The same malformed bodies on every route that reads a body. */
  private static void malformedBodies(List<Case> all) {
    record Body(String name, byte[] bytes, int status, String code) {}
    List<Body> bodies =
        List.of(
            new Body("empty", new byte[0], 400, "BODY_EMPTY"),
            new Body("whitespace only", bytes("   \n\t "), 400, "BODY_EMPTY"),
            new Body("truncated object", bytes("{\"job_id\": "), 400, "BODY_NOT_JSON"),
            new Body("bare words", bytes("job please"), 400, "BODY_NOT_JSON"),
            new Body(
                "invalid UTF-8",
                new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'},
                400,
                "BODY_NOT_JSON"),
            new Body("raw NUL byte", new byte[] {'{', 0, '}'}, 400, "BODY_NOT_JSON"),
            new Body(
                "10,000 levels of arrays", bytes(deep("[", "]", 10_000)), 400, "BODY_JSON_LIMIT"),
            new Body(
                "300 levels of objects", bytes(deep("{\"a\":", "}", 300)), 400, "BODY_JSON_LIMIT"),
            new Body(
                "a 50,000-digit number",
                bytes("{\"n\": " + "9".repeat(50_000) + "}"),
                400,
                "BODY_JSON_LIMIT"),
            new Body(
                "duplicate keys",
                bytes("{\"job_id\": \"a\", \"job_id\": \"b\"}"),
                400,
                "BODY_NOT_JSON"),
            new Body("trailing garbage", bytes("{} {}"), 400, "BODY_NOT_JSON"),
            new Body(
                "over the size limit",
                bytes("{\"x\": \"" + "a".repeat(LIMIT) + "\"}"),
                413,
                "BODY_TOO_LARGE"));
    for (Body body : bodies) {
      all.add(
          new Case(
              "POST / structured: " + body.name,
              postBytes("/", body.bytes, "Content-Type", CE_JSON),
              body.status,
              body.code));
      all.add(
          new Case(
              "POST / binary: " + body.name,
              postBytes("/", body.bytes, CloudEvents.binaryHeaders()),
              body.status,
              body.code));
      all.add(
          new Case(
              "/invoke: " + body.name,
              postBytes("/invoke", body.bytes, "Content-Type", "application/json"),
              body.status,
              body.code));
      all.add(
          new Case(
              "/definitions/validate: " + body.name,
              postBytes("/definitions/validate", body.bytes, "Content-Type", "application/json"),
              body.status,
              body.code));
    }
  }

  private static void cloudEvents(List<Case> all) {
    ObjectNode event = CloudEvents.structured(TestJobs.threeStepScripted(TestJobs.newJobId()));
    for (String attribute : List.of("specversion", "id", "source", "type")) {
      ObjectNode missing = event.deepCopy();
      missing.remove(attribute);
      all.add(
          new Case(
              "structured event without " + attribute,
              post("/", missing.toString(), "Content-Type", CE_JSON),
              400,
              "EVT_ATTRIBUTE"));
      ObjectNode numeric = event.deepCopy();
      numeric.put(attribute, 1);
      all.add(
          new Case(
              "structured event with numeric " + attribute,
              post("/", numeric.toString(), "Content-Type", CE_JSON),
              400,
              "EVT_ATTRIBUTE"));
    }
    all.add(
        new Case(
            "specversion 0.3",
            post(
                "/",
                event.deepCopy().put("specversion", "0.3").toString(),
                "Content-Type",
                CE_JSON),
            400,
            "EVT_SPECVERSION"));
    all.add(
        new Case(
            "binary specversion 2.0",
            post(
                "/",
                TestJobs.threeStepScripted(TestJobs.newJobId()).toString(),
                replace(CloudEvents.binaryHeaders(), "ce-specversion", "2.0")),
            400,
            "EVT_SPECVERSION"));
    all.add(
        new Case(
            "wrong type",
            post(
                "/", event.deepCopy().put("type", "dev.other").toString(), "Content-Type", CE_JSON),
            400,
            "EVT_TYPE"));
    all.add(
        new Case(
            "type with control characters",
            post(
                "/", event.deepCopy().put("type", "x\u0000\n").toString(), "Content-Type", CE_JSON),
            400,
            "EVT_TYPE"));
    all.add(
        new Case(
            "XML datacontenttype",
            post(
                "/",
                event.deepCopy().put("datacontenttype", "application/xml").toString(),
                "Content-Type",
                CE_JSON),
            415,
            "EVT_CONTENT_TYPE"));
    ObjectNode noData = event.deepCopy();
    noData.remove("data");
    all.add(
        new Case(
            "no data", post("/", noData.toString(), "Content-Type", CE_JSON), 400, "EVT_NO_DATA"));
    ObjectNode nullData = event.deepCopy();
    nullData.putNull("data");
    all.add(
        new Case(
            "null data",
            post("/", nullData.toString(), "Content-Type", CE_JSON),
            400,
            "EVT_NO_DATA"));
    all.add(
        new Case(
            "data is a number",
            post("/", event.deepCopy().put("data", 5).toString(), "Content-Type", CE_JSON),
            400,
            "JOB_NOT_OBJECT"));
    all.add(
        new Case(
            "data is a JSON string, not a job",
            post("/", event.deepCopy().put("data", "not json").toString(), "Content-Type", CE_JSON),
            400,
            "JOB_NOT_OBJECT"));
    ObjectNode base64 = event.deepCopy();
    base64.remove("data");
    base64.put("data_base64", "!!!not base64!!!");
    all.add(
        new Case(
            "invalid data_base64",
            post("/", base64.toString(), "Content-Type", CE_JSON),
            400,
            "EVT_INVALID"));
    all.add(
        new Case(
            "structured event is an array",
            post("/", "[" + event + "]", "Content-Type", CE_JSON),
            400,
            "EVT_NOT_OBJECT"));
    all.add(
        new Case(
            "batch content type",
            post("/", "[" + event + "]", "Content-Type", "application/cloudevents-batch+json"),
            415,
            "EVT_CONTENT_TYPE"));
    all.add(
        new Case(
            "text/plain",
            post("/", "hello", "Content-Type", "text/plain"),
            415,
            "EVT_CONTENT_TYPE"));
    all.add(
        new Case(
            "no content type and no headers",
            post("/", TestJobs.threeStepScripted(TestJobs.newJobId()).toString()),
            400,
            "EVT_NOT_CLOUDEVENT"));
    all.add(
        new Case(
            "plain JSON job on POST /",
            post(
                "/",
                TestJobs.threeStepScripted(TestJobs.newJobId()).toString(),
                "Content-Type",
                "application/json"),
            400,
            "EVT_NOT_CLOUDEVENT"));
    all.add(
        new Case(
            "ce headers and a disagreeing structured body",
            post("/", event.deepCopy().put("id", "other").toString(), CloudEvents.binaryHeaders()),
            400,
            "EVT_AMBIGUOUS"));
    all.add(
        new Case(
            "binary mode with XML",
            post(
                "/",
                "<job/>",
                replace(CloudEvents.binaryHeaders(), "Content-Type", "application/xml")),
            415,
            "EVT_CONTENT_TYPE"));
    all.add(
        new Case(
            "tenant attribute that is not a name",
            post("/", event.deepCopy().put("tenant", "a b/c").toString(), "Content-Type", CE_JSON),
            400,
            "EVT_ATTRIBUTE"));
  }

  private static void jobFields(List<Case> all) {
    for (String field : List.of("job_id", "trace_id", "agent_definition", "input_payload")) {
      all.add(
          new Case(
              "missing " + field, structured(job -> job.remove(field)), 400, "JOB_FIELD_MISSING"));
      all.add(
          new Case(
              "null " + field, structured(job -> job.putNull(field)), 400, "JOB_FIELD_MISSING"));
      all.add(
          new Case(
              "array " + field, structured(job -> job.putArray(field)), 400, "JOB_FIELD_TYPE"));
      all.add(
          new Case(
              "/invoke missing " + field,
              invoke(job -> job.remove(field)),
              400,
              "JOB_FIELD_MISSING"));
    }
    all.add(
        new Case(
            "boolean job_id", structured(job -> job.put("job_id", true)), 400, "JOB_FIELD_TYPE"));
    all.add(
        new Case(
            "blank trace_id", structured(job -> job.put("trace_id", " ")), 400, "JOB_FIELD_BLANK"));
    all.add(
        new Case(
            "job is a string",
            post("/", "\"job\"", CloudEvents.binaryHeaders()),
            400,
            "JOB_NOT_OBJECT"));
    all.add(
        new Case(
            "/invoke job is null",
            post("/invoke", "null", "Content-Type", "application/json"),
            400,
            "JOB_NOT_OBJECT"));
  }

  private static void ids(List<Case> all) {
    Map<String, String> bad =
        Map.ofEntries(
            Map.entry("NUL", "job\u0000x"),
            Map.entry("newline", "job\nNats-Msg-Id: x"),
            Map.entry("carriage return", "job\rx"),
            Map.entry("tab", "job\tx"),
            Map.entry("space", "job x"),
            Map.entry("slash", "a/b"),
            Map.entry("dot-dot path", "../../etc"),
            Map.entry("percent", "job%2F"),
            Map.entry("question mark", "job?x=1"),
            Map.entry("hash", "job#1"),
            Map.entry("non-ASCII letter", "jöb"),
            Map.entry("emoji", "job-\uD83D\uDE00"),
            Map.entry("leading dash", "-job"),
            Map.entry("NATS wildcard", "job.*"),
            Map.entry("unpaired surrogate", "job\uD800"));
    bad.forEach(
        (name, id) -> {
          all.add(
              new Case(
                  "job_id with " + name,
                  structured(job -> job.put("job_id", id)),
                  400,
                  "JOB_FIELD_FORMAT"));
          all.add(
              new Case(
                  "/invoke trace_id with " + name,
                  invoke(job -> job.put("trace_id", id)),
                  400,
                  "JOB_FIELD_FORMAT"));
        });
    all.add(
        new Case(
            "job_id of 257 characters",
            structured(job -> job.put("job_id", "j".repeat(257))),
            400,
            "JOB_FIELD_TOO_LONG"));
    for (String path : List.of("/state/", "/cancel/", "/cleanup/", "/stream/")) {
      String route = path.equals("/stream/") ? path + "%00x/events" : path + "%00x";
      String method =
          path.equals("/cancel/") ? "POST" : path.equals("/cleanup/") ? "DELETE" : "GET";
      all.add(
          new Case(
              method + " " + path + " with an encoded NUL id",
              method(method, route),
              400,
              "bad_request"));
      String longId =
          path.equals("/stream/") ? path + "x".repeat(300) + "/events" : path + "x".repeat(300);
      all.add(
          new Case(
              method + " " + path + " with a 300-character id",
              method(method, longId),
              404,
              "not_found"));
    }
  }

  private static void inputs(List<Case> all) {
    all.add(
        new Case(
            "empty input",
            structured(job -> job.set("input_payload", Json.object())),
            400,
            "INPUT_EMPTY"));
    all.add(
        new Case(
            "messages is an object", input(i -> i.putObject("messages")), 400, "INPUT_MESSAGES"));
    all.add(
        new Case(
            "message is a string",
            input(i -> i.putArray("messages").add("hi")),
            400,
            "INPUT_MESSAGE"));
    all.add(
        new Case(
            "message with unknown role",
            input(i -> i.putArray("messages").addObject().put("role", "root").put("content", "hi")),
            400,
            "INPUT_MESSAGE_ROLE"));
    all.add(
        new Case(
            "message content is a number",
            input(i -> i.putArray("messages").addObject().put("role", "user").put("content", 5)),
            400,
            "INPUT_MESSAGE_CONTENT"));
    all.add(
        new Case(
            "message over MAX_MESSAGE_CHARS",
            input(
                i ->
                    i.putArray("messages")
                        .addObject()
                        .put("role", "user")
                        .put("content", "m".repeat(30_000))),
            400,
            "INPUT_MESSAGE_TOO_LARGE"));
    all.add(
        new Case(
            "instructions is an array",
            input(i -> i.putArray("instructions")),
            400,
            "INPUT_INSTRUCTIONS"));
    all.add(new Case("files is an array", input(i -> i.putArray("files")), 400, "INPUT_FILES"));
    all.add(
        new Case(
            "file content is a number",
            input(i -> i.putObject("files").put("/a.md", 1)),
            400,
            "INPUT_FILES"));
    all.add(
        new Case(
            "file over MAX_FILE_CHARS",
            input(i -> i.putObject("files").put("/a.md", "f".repeat(30_000))),
            400,
            "INPUT_FILE_TOO_LARGE"));
    all.add(
        new Case(
            "file path with NUL",
            input(i -> i.putObject("files").put("/a\u0000.md", "x")),
            400,
            "INPUT_FILES"));
    all.add(
        new Case(
            "file path escaping the root",
            input(i -> i.putObject("files").put("../../etc/passwd", "x")),
            400,
            "INPUT_FILES"));
  }

  private static void definitions(List<Case> all) {
    all.add(
        new Case(
            "definition is an array",
            structured(job -> job.putArray("agent_definition")),
            400,
            "JOB_FIELD_TYPE"));
    all.add(
        new Case("nodes is a string", definition(d -> d.put("nodes", "x")), 400, "DEF_NOT_ARRAY"));
    all.add(
        new Case(
            "node is a number",
            definition(d -> ((ArrayNode) d.get("nodes")).add(1)),
            400,
            "DEF_NOT_OBJECT"));
    all.add(
        new Case(
            "unknown node type",
            definition(d -> ((ObjectNode) d.get("nodes").get(0)).put("type", "wizard")),
            400,
            "DEF_NODE_TYPE"));
    all.add(
        new Case(
            "node without config",
            definition(d -> ((ObjectNode) d.get("nodes").get(0)).remove("config")),
            400,
            "DEF_NODE_CONFIG"));
    all.add(
        new Case(
            "node without name",
            definition(d -> config(d).remove("name")),
            400,
            "DEF_FIELD_MISSING"));
    all.add(
        new Case(
            "blank system prompt",
            definition(d -> config(d).put("system_prompt", "  ")),
            400,
            "DEF_FIELD_BLANK"));
    all.add(
        new Case(
            "tools is a string",
            definition(d -> config(d).put("tools", "grep")),
            400,
            "DEF_NOT_ARRAY"));
    all.add(
        new Case(
            "unknown tool",
            definition(d -> config(d).putArray("tools").add("rm_rf")),
            400,
            "DEF_TOOL_UNKNOWN"));
    all.add(
        new Case(
            "duplicate node ids",
            definition(d -> specialist(d, "a").put("id", "main")),
            400,
            "DEF_NODE_DUPLICATE"));
    all.add(
        new Case(
            "two orchestrators",
            definition(d -> specialist(d, "b").put("type", "orchestrator")),
            400,
            "DEF_ORCHESTRATOR_DUPLICATE"));
    all.add(
        new Case(
            "subagent named general-purpose",
            definition(d -> specialist(d, "general-purpose")),
            400,
            "DEF_SUBAGENT_RESERVED"));
    all.add(
        new Case(
            "duplicate subagents",
            definition(
                d -> {
                  specialist(d, "c");
                  specialist(d, "c");
                }),
            400,
            "DEF_SUBAGENT_DUPLICATE"));
    all.add(
        new Case(
            "unknown provider",
            definition(d -> model(d).put("provider", "oracle")),
            400,
            "DEF_MODEL_PROVIDER"));
    all.add(
        new Case(
            "temperature 9",
            definition(d -> model(d).put("temperature", 9)),
            400,
            "DEF_MODEL_TEMPERATURE"));
    all.add(
        new Case(
            "negative max_tokens",
            definition(d -> model(d).put("max_tokens", -1)),
            400,
            "DEF_MODEL_MAX_TOKENS"));
    all.add(
        new Case(
            "model is a string", definition(d -> config(d).put("model", "gpt")), 400, "DEF_MODEL"));
    all.add(
        new Case(
            "edge to an unknown node",
            definition(
                d -> d.putArray("edges").addObject().put("source", "main").put("target", "ghost")),
            400,
            "DEF_EDGE_UNKNOWN_NODE"));
    all.add(
        new Case(
            "Python script tool",
            definition(
                d ->
                    d.putArray("tool_definitions")
                        .addObject()
                        .put("name", "calc")
                        .putObject("runtime")
                        .put("script", "import os")),
            400,
            "DEF_TOOL_SCRIPT"));
    all.add(
        new Case(
            "tool named like a built-in",
            definition(d -> toolDefinition(d).put("name", "read_file")),
            400,
            "DEF_TOOL_RESERVED"));
    all.add(
        new Case(
            "tool name with spaces",
            definition(d -> toolDefinition(d).put("name", "look up")),
            400,
            "DEF_TOOL_NAME"));
    all.add(
        new Case(
            "tool URL with file scheme",
            definition(
                d ->
                    ((ObjectNode) toolDefinition(d).get("runtime").get("http"))
                        .put("url", "file:///etc/shadow")),
            400,
            "DEF_TOOL_URL"));
    all.add(
        new Case(
            "tool URL with gopher scheme",
            definition(
                d ->
                    ((ObjectNode) toolDefinition(d).get("runtime").get("http"))
                        .put("url", "gopher://x")),
            400,
            "DEF_TOOL_URL"));
    all.add(
        new Case(
            "tool method TRACE",
            definition(
                d ->
                    ((ObjectNode) toolDefinition(d).get("runtime").get("http"))
                        .put("method", "TRACE")),
            400,
            "DEF_TOOL_METHOD"));
    all.add(
        new Case(
            "tool header with a newline",
            definition(
                d ->
                    ((ObjectNode) toolDefinition(d).get("runtime").get("http"))
                        .putObject("headers")
                        .put("X-A", "a\r\nHost: evil")),
            400,
            "DEF_TOOL_HEADERS"));
    all.add(
        new Case(
            "tool restricted header Host",
            definition(
                d ->
                    ((ObjectNode) toolDefinition(d).get("runtime").get("http"))
                        .putObject("headers")
                        .put("Host", "evil")),
            400,
            "DEF_TOOL_HEADERS"));
    all.add(
        new Case(
            "tool parameters not an object schema",
            definition(d -> toolDefinition(d).put("parameters", "any")),
            400,
            "DEF_TOOL_PARAMETERS"));
    all.add(
        new Case(
            "tool without runtime",
            definition(d -> toolDefinition(d).remove("runtime")),
            400,
            "DEF_TOOL_RUNTIME"));
    all.add(
        new Case(
            "duplicate tool names",
            definition(
                d -> {
                  toolDefinition(d);
                  ((ArrayNode) d.get("tool_definitions"))
                      .add(d.get("tool_definitions").get(0).deepCopy());
                }),
            400,
            "DEF_TOOL_DUPLICATE"));
  }

  private static void scripts(List<Case> all) {
    all.add(
        new Case(
            "script is a string",
            definition(d -> model(d).put("script", "go")),
            400,
            "DEF_MODEL_SCRIPT"));
    all.add(
        new Case(
            "script response is a number",
            definition(d -> model(d).putArray("script").add(1)),
            400,
            "DEF_SCRIPT_RESPONSE"));
    all.add(
        new Case(
            "script tool_calls is an object",
            definition(d -> model(d).putArray("script").addObject().putObject("tool_calls")),
            400,
            "DEF_SCRIPT_TOOL_CALLS"));
    all.add(
        new Case(
            "script tool call without name",
            definition(
                d ->
                    model(d)
                        .putArray("script")
                        .addObject()
                        .putArray("tool_calls")
                        .addObject()
                        .putObject("args")),
            400,
            "DEF_SCRIPT_TOOL_CALLS"));
    all.add(
        new Case(
            "script delay of a day",
            definition(
                d ->
                    model(d)
                        .putArray("script")
                        .addObject()
                        .put("content", "x")
                        .put("delay_ms", 86_400_000)),
            400,
            "DEF_SCRIPT_DELAY"));
    all.add(
        new Case(
            "script negative delay",
            definition(
                d ->
                    model(d)
                        .putArray("script")
                        .addObject()
                        .put("content", "x")
                        .put("delay_ms", -5)),
            400,
            "DEF_SCRIPT_DELAY"));
    all.add(
        new Case(
            "script usage is a string",
            definition(
                d ->
                    model(d)
                        .putArray("script")
                        .addObject()
                        .put("content", "x")
                        .put("usage", "lots")),
            400,
            "DEF_SCRIPT_USAGE"));
    all.add(
        new Case(
            "script tool call args that are an array",
            definition(
                d ->
                    model(d)
                        .putArray("script")
                        .addObject()
                        .putArray("tool_calls")
                        .addObject()
                        .put("name", "ls")
                        .putArray("args")
                        .add(1)),
            400,
            "DEF_SCRIPT_TOOL_CALLS"));
    all.add(
        new Case(
            "script file /etc/shadow",
            definition(d -> model(d).putObject("script").put("file", "/etc/shadow")),
            400,
            "DEF_SCRIPT_FILE"));
    all.add(
        new Case(
            "script file escaping upwards",
            definition(d -> model(d).putObject("script").put("file", "../../../../etc/passwd")),
            400,
            "DEF_SCRIPT_FILE"));
    all.add(
        new Case(
            "script file /proc/self/environ",
            definition(d -> model(d).putObject("script").put("file", "/proc/self/environ")),
            400,
            "DEF_SCRIPT_FILE"));
  }

  /** GET /jobs: every query parameter out of its range, malformed, repeated or hostile. */
  private static void jobList(List<Case> all) {
    String badVersion =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(bytes("v9|2024-01-01T00:00:00Z|job-1"));
    String badTime =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(bytes("v1|yesterday|job-1"));
    String badId =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(bytes("v1|2024-01-01T00:00:00Z|job 1/../x"));
    Object[][] cases = {
      {"?status=done", "QUERY_STATUS"},
      {"?status=", "QUERY_STATUS"},
      {"?status=running,", "QUERY_STATUS"},
      {"?status=RUNNING", "QUERY_STATUS"},
      {"?status=running%00", "QUERY_STATUS"},
      {"?status=" + "x".repeat(5000), "QUERY_STATUS"},
      {"?limit=0", "QUERY_LIMIT"},
      {"?limit=201", "QUERY_LIMIT"},
      {"?limit=-1", "QUERY_LIMIT"},
      {"?limit=1e2", "QUERY_LIMIT"},
      {"?limit=99999999999999999999", "QUERY_LIMIT"},
      {"?limit=", "QUERY_LIMIT"},
      {"?limit=10&limit=20", "QUERY_LIMIT"},
      {"?cursor=", "QUERY_CURSOR"},
      {"?cursor=not-base64!", "QUERY_CURSOR"},
      {"?cursor=" + badVersion, "QUERY_CURSOR"},
      {"?cursor=" + badTime, "QUERY_CURSOR"},
      {"?cursor=" + badId, "QUERY_CURSOR"},
      {"?cursor=" + "A".repeat(4000), "QUERY_CURSOR"},
      {"?thread_id=", "QUERY_THREAD_ID"},
      {"?thread_id=a%20b", "QUERY_THREAD_ID"},
      {"?thread_id=..%2F..%2Fetc", "QUERY_THREAD_ID"},
      {"?thread_id=" + "t".repeat(257), "QUERY_THREAD_ID"},
      {"?thread_id=a&thread_id=b", "QUERY_THREAD_ID"},
    };
    for (Object[] c : cases) {
      String query = (String) c[0];
      String shown = query.length() > 60 ? query.substring(0, 60) + "..." : query;
      all.add(new Case("GET /jobs" + shown, get("/jobs" + query), 400, (String) c[1]));
    }
    all.add(
        new Case(
            "GET /deepagents-runtime/jobs?limit=500",
            get("/deepagents-runtime/jobs?limit=500"),
            400,
            "QUERY_LIMIT"));
    all.add(new Case("POST /jobs", post("/jobs", "{}"), 405, "method_not_allowed"));
  }

  private static void routesAndMethods(List<Case> all) {
    for (String path :
        List.of(
            "/nope",
            "/invoke/x",
            "/state/",
            "/state/a/b",
            "/deepagents-runtime",
            "/stream/x/events/y",
            "/ui/nope.js",
            "/state/%2F..%2F")) {
      all.add(new Case("GET " + path, get(path), 404, "not_found"));
    }
    for (String path :
        List.of(
            "/%2e%2e/%2e%2e/etc/passwd",
            "/ui/%2e%2e/%2e%2e/pom.xml", "/ui/vendor/../../../etc/passwd")) {
      all.add(new Case("GET " + path + " (an ambiguous path)", get(path), 400, "bad_request"));
    }
    jobList(all);
    all.add(new Case("GET /invoke", get("/invoke"), 405, "method_not_allowed"));
    all.add(new Case("PUT /", method("PUT", "/"), 405, "method_not_allowed"));
    all.add(new Case("DELETE /state/x", method("DELETE", "/state/x"), 405, "method_not_allowed"));
    all.add(new Case("method FOO on /", method("FOO", "/"), 405, "method_not_allowed"));
    all.add(new Case("GET /cancel/x", get("/cancel/x"), 405, "method_not_allowed"));
    all.add(new Case("unknown job state", get("/state/no-such-job"), 404, "not_found"));
    all.add(
        new Case("cancel of an unknown job", post("/cancel/no-such-job", ""), 404, "not_found"));
    all.add(
        new Case(
            "cleanup of an unknown job",
            method("DELETE", "/cleanup/no-such-job"),
            404,
            "not_found"));
    all.add(
        new Case(
            "SSE of an unknown job",
            get("/stream/no-such-job/events", "Accept", "text/event-stream"),
            404,
            "not_found"));
    all.add(
        new Case(
            "WebSocket upgrade to an unknown job",
            webSocketUpgrade("/stream/no-such-job"),
            404,
            "not_found"));
    all.add(
        new Case(
            "request line with a NUL",
            rawRequest("GET /st\u0000ate HTTP/1.1\r\nHost: x\r\n\r\n"),
            400,
            "bad_request"));
    all.add(
        new Case(
            "URI of 100,000 characters",
            rawRequest("GET /" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
            414,
            "uri_too_long"));
    all.add(
        new Case(
            "a 100 KB header",
            rawRequest(
                "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(100_000) + "\r\n\r\n"),
            431,
            "headers_too_large"));
    all.add(
        new Case(
            "bad percent-encoding",
            rawRequest("GET /state/%zz HTTP/1.1\r\nHost: x\r\n\r\n"),
            400,
            "bad_request"));
  }

  private static void tokens(List<Case> all) {
    all.add(new Case("no token", () -> request("GET", "/state/x", null), 401, "unauthorized"));
    all.add(
        new Case(
            "wrong token",
            () ->
                request("GET", "/state/x", null, "Authorization", "Bearer wrong-token-0123456789"),
            401,
            "unauthorized"));
    all.add(
        new Case(
            "Basic scheme",
            () -> request("GET", "/state/x", null, "Authorization", "Basic " + TOKEN),
            401,
            "unauthorized"));
    all.add(
        new Case(
            "token with a NUL appended",
            () ->
                request("POST", "/invoke", bytes("{}"), "Authorization", "Bearer " + TOKEN + "%00"),
            401,
            "unauthorized"));
    all.add(
        new Case(
            "token in the query of a non-stream route",
            () -> request("GET", "/state/x?access_token=" + TOKEN, null),
            401,
            "unauthorized"));
  }

  private static String[] replace(String[] headers, String name, String value) {
    String[] copy = headers.clone();
    for (int i = 0; i < copy.length; i += 2)
      if (copy[i].equalsIgnoreCase(name)) copy[i + 1] = value;
    return copy;
  }

  /** Raw bytes on a socket: what an HTTP client library would refuse to send. */
  private static Send rawRequest(String request) {
    return () -> {
      try (Socket socket = new Socket("127.0.0.1", service.app().port())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        String response =
            new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = Integer.parseInt(response.substring(9, 12));
        int bodyStart = response.indexOf("\r\n\r\n");
        String body = response.substring(bodyStart + 4);
        int brace = body.indexOf('{');
        return new Answer(
            status, brace < 0 ? body : body.substring(brace, body.lastIndexOf('}') + 1));
      }
    };
  }

  private static Send webSocketUpgrade(String path) {
    return () ->
        request(
            "GET",
            path,
            null,
            withAuth(
                "Upgrade-Insecure-Requests", "1",
                "Sec-WebSocket-Version", "13",
                "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="));
  }

  // ---- the checks ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hostileInputGetsAPreciseAnswerAndTheServiceKeepsServing(Case c) throws Exception {
    Answer answer = c.send().send();

    assertThat(answer.status()).as(answer.body()).isEqualTo(c.status());
    if (c.code() != null) {
      JsonNode body = Json.parse(answer.body());
      assertThat(body.isObject()).as(answer.body()).isTrue();
      List<String> codes = new ArrayList<>();
      codes.add(body.path("error").asText());
      body.path("problems").forEach(p -> codes.add(p.path("code").asText()));
      // POST / answers a well-formed job it refuses (over a limit) with its failed result event.
      var coded =
          java.util.regex.Pattern.compile("\\[([A-Z_]+)]")
              .matcher(body.path("data").path("error").path("message").asText());
      while (coded.find()) codes.add(coded.group(1));
      assertThat(codes).as(answer.body()).contains(c.code());
      assertThat(
              body.path("message").asText()
                  + body.path("data").path("error").path("message").asText())
          .as("a message for people")
          .isNotBlank();
      assertThat(answer.body())
          .as("no stack trace or server path")
          .doesNotContain("\tat ", "Exception", "/work/", "/etc/shadow:");
    }
    assertAGoodJobStillRuns();
  }

  static void assertAGoodJobStillRuns() throws Exception {
    Answer good =
        request(
            "POST",
            "/",
            bytes(
                CloudEvents.structured(TestJobs.threeStepScripted(TestJobs.newJobId())).toString()),
            withAuth("Content-Type", CE_JSON));
    assertThat(good.status()).as(good.body()).isEqualTo(200);
    assertThat(Json.parse(good.body()).path("type").asText())
        .isEqualTo("dev.my-platform.agent.completed");
  }

  // ---- hostile tool arguments and WebSocket frames ----

  /**
   * A model asking for each tool with arguments of every wrong kind: each call is a tool error the
   * model sees, the job completes.
   */
  static Stream<Case> toolArgumentCases() {
    Map<String, String> calls = new java.util.LinkedHashMap<>();
    calls.put("read_file without file_path", "{\"name\":\"read_file\",\"args\":{}}");
    calls.put(
        "read_file with a numeric path", "{\"name\":\"read_file\",\"args\":{\"file_path\":42}}");
    calls.put(
        "read_file of /etc/passwd",
        "{\"name\":\"read_file\",\"args\":{\"file_path\":\"/etc/passwd\"}}");
    calls.put(
        "read_file with a NUL path",
        "{\"name\":\"read_file\",\"args\":{\"file_path\":\"/a\\u0000b\"}}");
    calls.put(
        "read_file with a negative offset",
        "{\"name\":\"read_file\",\"args\":{\"file_path\":\"/a.md\",\"offset\":-5,\"limit\":-1}}");
    calls.put(
        "write_file over the file limit",
        "{\"name\":\"write_file\",\"args\":{\"file_path\":\"/big.md\",\"content\":\""
            + "w".repeat(19_000)
            + "\"}}");
    calls.put(
        "write_file with a relative path",
        "{\"name\":\"write_file\",\"args\":{\"file_path\":\"../../x\",\"content\":\"x\"}}");
    calls.put(
        "edit_file of a missing file",
        "{\"name\":\"edit_file\",\"args\":{\"file_path\":\"/none.md\",\"old_string\":\"a\",\"new_string\":\"b\"}}");
    calls.put(
        "edit_file with an empty old_string",
        "{\"name\":\"edit_file\",\"args\":{\"file_path\":\"/a.md\",\"old_string\":\"\",\"new_string\":\"b\",\"replace_all\":true}}");
    calls.put("grep with an invalid regex", "{\"name\":\"grep\",\"args\":{\"pattern\":\"(((\"}}");
    calls.put(
        "grep with a catastrophic pattern",
        "{\"name\":\"grep\",\"args\":{\"pattern\":\"(.*){30}x\"}}");
    calls.put(
        "grep with a huge repetition",
        "{\"name\":\"grep\",\"args\":{\"pattern\":\"((a{1000}){1000}){1000}\"}}");
    calls.put("glob escaping the root", "{\"name\":\"glob\",\"args\":{\"pattern\":\"../../**\"}}");
    calls.put("ls with a number", "{\"name\":\"ls\",\"args\":{\"path\":7}}");
    calls.put(
        "write_todos with a string",
        "{\"name\":\"write_todos\",\"args\":{\"todos\":\"all of them\"}}");
    calls.put(
        "write_todos with an unknown status",
        "{\"name\":\"write_todos\",\"args\":{\"todos\":[{\"content\":\"x\",\"status\":\"maybe\"}]}}");
    calls.put(
        "task for an unknown subagent",
        "{\"name\":\"task\",\"args\":{\"subagent_type\":\"hacker\",\"description\":\"x\"}}");
    calls.put("a tool that does not exist", "{\"name\":\"sudo\",\"args\":{}}");
    return calls.entrySet().stream()
        .map(e -> new Case("tool call: " + e.getKey(), toolCallJob(e.getValue()), 200, null));
  }

  private static Send toolCallJob(String toolCall) {
    ArrayNode script = Json.MAPPER.createArrayNode();
    ObjectNode seed = script.addObject().put("content", "seed");
    seed.putArray("tool_calls")
        .addObject()
        .put("name", "write_file")
        .putObject("args")
        .put("file_path", "/a.md")
        .put("content", "alpha");
    script.addObject().put("content", "try").putArray("tool_calls").add(Json.parse(toolCall));
    script.addObject().put("content", "done");
    ObjectNode job =
        TestJobs.job(
            TestJobs.newJobId(), TestJobs.orchestrator("scripted", "scripted", script), "go");
    return post("/", CloudEvents.structured(job).toString(), "Content-Type", CE_JSON);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("toolArgumentCases")
  void hostileToolArgumentsAreToolErrorsAndTheJobCompletes(Case c) throws Exception {
    Answer answer = c.send().send();

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode event = Json.parse(answer.body());
    assertThat(event.path("type").asText())
        .as(answer.body())
        .isEqualTo("dev.my-platform.agent.completed");
    assertThat(answer.body()).doesNotContain("root:x:0:0");
    assertAGoodJobStillRuns();
  }

  /** Frames a client may send on the event WebSocket: ignored or refused, never a crash. */
  static Stream<String> frames() {
    return Stream.of(
        "text", "binary", "huge text", "invalid UTF-8 binary", "ping flood", "many small frames");
  }

  @ParameterizedTest(name = "WebSocket frame: {0}")
  @MethodSource("frames")
  void hostileWebSocketFramesNeverHurtTheService(String kind) throws Exception {
    String jobId = TestJobs.newJobId();
    request(
        "POST",
        "/",
        bytes(CloudEvents.structured(TestJobs.threeStepScripted(jobId)).toString()),
        withAuth("Content-Type", CE_JSON));
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    WebSocket socket =
        http.newWebSocketBuilder()
            .header("Authorization", "Bearer " + TOKEN)
            .buildAsync(
                URI.create("ws://127.0.0.1:" + service.app().port() + "/stream/" + jobId),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    received.add(data.toString());
                    ws.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                    closed.complete(status);
                    return null;
                  }

                  @Override
                  public void onError(WebSocket ws, Throwable error) {
                    closed.complete(-1);
                  }
                })
            .get(10, TimeUnit.SECONDS);
    try {
      switch (kind) {
        case "text" -> socket.sendText("{\"event_type\":\"end\"}", true).get(5, TimeUnit.SECONDS);
        case "binary" ->
            socket.sendBinary(ByteBuffer.wrap(new byte[] {0, 1, 2}), true).get(5, TimeUnit.SECONDS);
        case "huge text" -> socket.sendText("x".repeat(2_000_000), true).get(5, TimeUnit.SECONDS);
        case "invalid UTF-8 binary" ->
            socket
                .sendBinary(ByteBuffer.wrap(new byte[] {(byte) 0xC3, 0x28}), true)
                .get(5, TimeUnit.SECONDS);
        case "ping flood" -> {
          for (int i = 0; i < 500; i++)
            socket.sendPing(ByteBuffer.wrap(new byte[] {1})).get(5, TimeUnit.SECONDS);
        }
        default -> {
          for (int i = 0; i < 2_000; i++) socket.sendText("m", true).get(5, TimeUnit.SECONDS);
        }
      }
    } catch (java.util.concurrent.ExecutionException e) {
      // the server may close the connection over an oversized frame: that is an answer too
    }
    int status = closed.get(15, TimeUnit.SECONDS);
    assertThat(status)
        .as("closed normally after end, or refused the frame")
        .isIn(1000, 1009, 1003, -1);
    if (status == 1000) assertThat(received).last().asString().contains("\"end\"");
    assertAGoodJobStillRuns();
    assertThat(request("GET", "/health", null).status()).isEqualTo(200);
  }
}
