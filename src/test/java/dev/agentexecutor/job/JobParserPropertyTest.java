package dev.agentexecutor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.definition.DefinitionParser;
import dev.agentexecutor.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever bytes, headers or JSON arrive, the parsers answer with a job or with problems: never an
 * unexpected exception (which would be a 500 over HTTP or a lost message over NATS).
 */
class JobParserPropertyTest {
  private static final long LIMIT = 1_048_576;
  private static final List<String> CONTENT_TYPES =
      List.of(
          "",
          "application/json",
          "application/cloudevents+json",
          "text/plain",
          "application/cloudevents-batch+json",
          "application/vnd.x+json; charset=utf-8",
          "\u0000");

  @Property(tries = 400)
  void arbitraryBytesInAnyModeGiveAJobOrProblems(
      @ForAll("bodies") byte[] body, @ForAll("headers") Map<String, String> headers) {
    assertOnlyJobOrProblems(() -> JobParser.fromCloudEvent(headers, body, LIMIT));
    assertOnlyJobOrProblems(() -> JobParser.fromJobJson(body, LIMIT));
    JobParser.traceOf(headers, body); // never throws, whatever the input
  }

  @Property(tries = 400)
  void arbitraryJsonJobsGiveAJobOrProblems(@ForAll("jobs") JsonNode job) {
    assertOnlyJobOrProblems(() -> JobParser.fromJobNode(job));
    ObjectNode event =
        Json.object()
            .put("specversion", "1.0")
            .put("id", "e")
            .put("source", "s")
            .put("type", JobParser.EXECUTE_TYPE);
    event.set("data", job);
    assertOnlyJobOrProblems(
        () -> JobParser.fromCloudEvent(Map.of(), Json.writeBytes(event), LIMIT));
    assertThat(DefinitionParser.problems(job.path("agent_definition"), "$.agent_definition"))
        .isNotNull();
  }

  private static void assertOnlyJobOrProblems(Runnable parse) {
    try {
      parse.run();
    } catch (InvalidJobException e) {
      assertThat(e.problems())
          .isNotEmpty()
          .allSatisfy(
              p -> {
                assertThat(p.code()).matches("[A-Z_]+");
                assertThat(p.path()).startsWith("$");
              });
      assertThat(e.status()).isIn(400, 413, 415);
    }
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    Arbitrary<byte[]> jsonish =
        Arbitraries.strings()
            .withChars("{}[]\":,0123456789.eE+-tfnul \\u\u0000abc")
            .ofMaxLength(300)
            .map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> structuredPrefix =
        Arbitraries.strings()
            .ofMaxLength(200)
            .map(
                s ->
                    ("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\""
                            + JobParser.EXECUTE_TYPE
                            + "\",\"data\":"
                            + s)
                        .getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> deep =
        Combinators.combine(
                Arbitraries.integers().between(1, 3_000), Arbitraries.of("[", "{\"a\":"))
            .as(
                (n, open) ->
                    structured(open.repeat(n) + "1" + (open.equals("[") ? "]" : "}").repeat(n)));
    Arbitrary<byte[]> longNumber =
        Arbitraries.integers()
            .between(1, 5_000)
            .map(n -> structured("{\"n\":" + "9".repeat(n) + "}"));
    return Arbitraries.oneOf(random, jsonish, structuredPrefix, deep, longNumber);
  }

  private static byte[] structured(String data) {
    return ("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\""
            + JobParser.EXECUTE_TYPE
            + "\",\"data\":"
            + data
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Provide
  Arbitrary<Map<String, String>> headers() {
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(40),
            Arbitraries.of("1.0", "0.3", JobParser.EXECUTE_TYPE));
    return Combinators.combine(
            Arbitraries.of(CONTENT_TYPES),
            value.injectNull(0.5),
            value.injectNull(0.5),
            value.injectNull(0.5))
        .as(
            (type, specversion, ceType, id) -> {
              var map = new java.util.HashMap<String, String>();
              map.put("Content-Type", type);
              if (specversion != null) map.put("ce-specversion", specversion);
              if (ceType != null) map.put("ce-type", ceType);
              if (id != null) {
                map.put("ce-id", id);
                map.put("ce-source", id);
              }
              return map;
            });
  }

  @Provide
  Arbitrary<JsonNode> jobs() {
    Arbitrary<JsonNode> anyValue = values(3);
    Arbitrary<JsonNode> definition = Arbitraries.oneOf(anyValue, definitions());
    return Combinators.combine(ids(), ids(), definition, Arbitraries.oneOf(anyValue, inputs()))
        .as(
            (jobId, traceId, def, input) -> {
              ObjectNode job = Json.object();
              job.set("job_id", jobId);
              job.set("trace_id", traceId);
              job.set("agent_definition", def);
              job.set("input_payload", input);
              return (JsonNode) job;
            });
  }

  private Arbitrary<JsonNode> ids() {
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .ofMaxLength(300)
            .map(s -> (JsonNode) Json.MAPPER.getNodeFactory().textNode(s)),
        Arbitraries.strings()
            .alpha()
            .numeric()
            .ofMinLength(1)
            .ofMaxLength(20)
            .map(s -> (JsonNode) Json.MAPPER.getNodeFactory().textNode(s)),
        values(1));
  }

  private Arbitrary<JsonNode> definitions() {
    Arbitrary<JsonNode> node =
        Combinators.combine(
                values(2),
                Arbitraries.of("orchestrator", "specialist", "x", ""),
                Arbitraries.of("openai", "anthropic", "scripted", "nope"),
                values(2),
                values(2))
            .as(
                (id, type, provider, tools, script) -> {
                  ObjectNode n = Json.object();
                  n.set("id", id);
                  n.put("type", type);
                  ObjectNode config = n.putObject("config");
                  config.put("name", "n" + type);
                  config.set("tools", tools);
                  ObjectNode model =
                      config.putObject("model").put("provider", provider).put("model", "m");
                  model.set("script", script);
                  return (JsonNode) n;
                });
    return Combinators.combine(node.list().ofMaxSize(4), values(2), values(2))
        .as(
            (nodes, tools, edges) -> {
              ObjectNode def = Json.object().put("name", "d");
              ArrayNode array = def.putArray("nodes");
              nodes.forEach(array::add);
              def.set("tool_definitions", tools);
              def.set("edges", edges);
              return (JsonNode) def;
            });
  }

  private Arbitrary<JsonNode> inputs() {
    return Combinators.combine(values(2), values(2), values(2))
        .as(
            (messages, files, instructions) -> {
              ObjectNode input = Json.object();
              input.set("messages", messages);
              input.set("files", files);
              input.set("instructions", instructions);
              return (JsonNode) input;
            });
  }

  /** Any JSON value, nested at most {@code depth} levels. */
  private Arbitrary<JsonNode> values(int depth) {
    var factory = Json.MAPPER.getNodeFactory();
    Arbitrary<JsonNode> leaf =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(30).map(s -> (JsonNode) factory.textNode(s)),
            Arbitraries.integers().map(i -> (JsonNode) factory.numberNode(i)),
            Arbitraries.doubles().map(d -> (JsonNode) factory.numberNode(d)),
            Arbitraries.of(true, false).map(b -> (JsonNode) factory.booleanNode(b)),
            Arbitraries.just((JsonNode) factory.nullNode()));
    if (depth == 0) return leaf;
    Arbitrary<JsonNode> inner = values(depth - 1);
    Arbitrary<JsonNode> array =
        inner
            .list()
            .ofMaxSize(4)
            .map(
                list -> {
                  ArrayNode a = factory.arrayNode();
                  list.forEach(a::add);
                  return (JsonNode) a;
                });
    Arbitrary<JsonNode> object =
        Arbitraries.maps(
                Arbitraries.of(
                    "role",
                    "content",
                    "name",
                    "type",
                    "file",
                    "tool_calls",
                    "args",
                    "id",
                    "x",
                    "properties",
                    "runtime",
                    "http",
                    "url",
                    "path"),
                inner)
            .ofMaxSize(4)
            .map(
                map -> {
                  ObjectNode o = factory.objectNode();
                  map.forEach(o::set);
                  return (JsonNode) o;
                });
    return Arbitraries.oneOf(leaf, array, object);
  }
}
